internal import CSupport
import Foundation

/// Whether a process still has a file open for writing: the one thing a settle window cannot
/// tell, since a paused recorder or a stalled copy writes nothing for as long as it likes.
///
/// Linux answers for local file systems: a read lease is refused while any process holds the
/// file open for writing; where leases are not allowed (a file owned by another user without
/// CAP_LEASE), `/proc/*/fdinfo` says the same for the processes this one can see. Network and
/// FUSE file systems cannot see writers on other machines: they answer `.unknown`, and the
/// settle window stays the rule there.
public enum WriterCheck {
    public enum Answer: String, Sendable, Equatable {
        /// No process has the file open for writing.
        case closed
        /// A process has it open for writing: it is still being written, however long it pauses.
        case openForWriting
        /// The file system cannot tell (NFS, SMB, FUSE...), or the file is gone.
        case unknown
    }

    public static func state(of path: String) -> Answer {
        if isRemoteFileSystem(path) { return .unknown }
        switch cffmpeg_has_writer(path) {
        case 0: return .closed
        case 1: return .openForWriting
        default: return procScan(path)
        }
    }

    /// statfs(2) magic numbers of file systems whose writers may be on another machine.
    static let remoteMagics: Set<Int> = [
        0x6969,  // NFS
        0x517B, 0xFF53_4D42, 0xFE53_4D42,  // SMB, CIFS, SMB2
        0x6573_5546,  // FUSE (sshfs, rclone, s3fs...)
        0x00C3_6400,  // Ceph
        0x0102_1997,  // 9P
        0x5346_414F,  // AFS
    ]

    static func isRemoteFileSystem(_ path: String) -> Bool {
        let type = cffmpeg_filesystem_type(path)
        guard type != -1 else { return false }
        return remoteMagics.contains(type) || remoteMagics.contains(Int(UInt32(truncatingIfNeeded: type)))
    }

    /// Whether some process has the file open for writing, from one look at every process's
    /// open descriptors (taken at most once a second, however many files are asked about: an
    /// inbox of thousands of files costs one walk of /proc per scan, not one per file); unknown
    /// when some process's descriptors cannot be read (another user's, without privileges).
    static func procScan(_ path: String, maximumAge: TimeInterval = 1) -> Answer {
        var target = stat()
        guard stat(path, &target) == 0, let writers = WritersSnapshot.current(maximumAge: maximumAge) else { return .unknown }
        if writers.files.contains(WritersSnapshot.FileID(device: UInt64(target.st_dev), inode: UInt64(target.st_ino))) {
            return .openForWriting
        }
        return writers.complete ? .closed : .unknown
    }

    /// The access mode in `/proc/PID/fdinfo/FD`'s `flags:` line (octal) is write-only or read-write.
    static func opensForWriting(pid: String, fd: String) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
              let flags = Int(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8) else { return false }
        let mode = flags & Int(O_ACCMODE)
        return mode == Int(O_WRONLY) || mode == Int(O_RDWR)
    }
}
