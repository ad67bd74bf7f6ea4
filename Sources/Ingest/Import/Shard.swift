import Crypto
import Foundation

/// `import --shard I/N`: a stable share of a library, so N machines (or the N pods of a
/// Kubernetes Indexed Job) prepare and publish one library with every file taken by exactly one.
///
/// A file's share comes from its content (size, first and last 4 MB), not its path: the same
/// library mounted at different paths, or a file renamed, lands in the same share, and reading
/// 8 MB of a 40 GB master costs nothing next to transcoding it.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// `I/N` with 0 <= I < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ file: URL) -> Bool {
        guard let key = Self.contentKey(of: file) else { return false }
        return Int(key % UInt64(count)) == index
    }

    static func contentKey(of file: URL) -> UInt64? {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        defer { try? handle.close() }
        let edge = 4 << 20
        guard let size = try? handle.seekToEnd() else { return nil }
        var hasher = SHA256()
        hasher.update(data: Data("\(size)".utf8))
        try? handle.seek(toOffset: 0)
        hasher.update(data: (try? handle.read(upToCount: edge)) ?? Data())
        if size > UInt64(edge) {
            try? handle.seek(toOffset: size - UInt64(min(UInt64(edge), size - UInt64(edge))))
            hasher.update(data: (try? handle.read(upToCount: edge)) ?? Data())
        }
        return hasher.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
