import Foundation

/// The files some process has open for writing, read from `/proc/*/fd` and `/proc/*/fdinfo`,
/// kept for a second: what ``WriterCheck`` falls back on where the kernel refuses a lease.
struct WritersSnapshot: Sendable {
    struct FileID: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
    }

    var files: Set<FileID>
    /// False when some process's descriptors could not be read: a writer may be hidden.
    var complete: Bool
    var takenAt: Date

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: WritersSnapshot?

    /// A snapshot at most `maximumAge` old; nil without a readable /proc.
    static func current(maximumAge: TimeInterval = 1, now: Date = Date()) -> WritersSnapshot? {
        lock.withLock {
            if let cached, now.timeIntervalSince(cached.takenAt) < maximumAge { return cached }
            cached = take(at: now)
            return cached
        }
    }

    private static func take(at now: Date) -> WritersSnapshot? {
        guard let processes = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        var files: Set<FileID> = []
        var complete = true
        for pid in processes where pid.allSatisfy(\.isNumber) {
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else {
                complete = complete && !FileManager.default.fileExists(atPath: "/proc/\(pid)")
                continue
            }
            for fd in descriptors where WriterCheck.opensForWriting(pid: pid, fd: fd) {
                var opened = stat()
                guard stat("/proc/\(pid)/fd/\(fd)", &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG else { continue }
                files.insert(FileID(device: UInt64(opened.st_dev), inode: UInt64(opened.st_ino)))
            }
        }
        return WritersSnapshot(files: files, complete: complete, takenAt: now)
    }
}
