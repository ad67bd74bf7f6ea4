import Foundation

/// What a job took: the source's size, modification time and inode. A writer that goes on after
/// the file was taken (a settle window cannot see a paused writer on a network share) changes
/// one of them, so a package made from a stale part is never published.
public struct SourceIdentity: Sendable, Codable, Equatable, CustomStringConvertible {
    public var size: Int64
    /// Nanoseconds since 1970.
    public var modified: Int64
    public var inode: UInt64
    public var device: UInt64

    public init(size: Int64, modified: Int64, inode: UInt64, device: UInt64) {
        self.size = size
        self.modified = modified
        self.inode = inode
        self.device = device
    }

    /// The file's identity now, nil when it cannot be read.
    public static func of(_ path: String) -> SourceIdentity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return SourceIdentity(size: Int64(status.st_size),
                              modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
                              inode: UInt64(status.st_ino), device: UInt64(status.st_dev))
    }

    /// How the file at `path` differs from this identity ("now 12 bytes, was 10", "it is gone"),
    /// nil when it is still exactly this.
    public func difference(from path: String) -> String? {
        guard let now = Self.of(path) else { return "it is gone" }
        return now == self ? nil : "now \(now.size) bytes, was \(size)"
    }

    public var description: String { "\(size) bytes, inode \(inode)" }
}
