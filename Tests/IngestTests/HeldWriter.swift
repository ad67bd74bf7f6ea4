import Foundation

/// A writer as a recorder or a slow copy is one: it holds its file open for writing, writes
/// part of it, pauses as long as the test likes, and closes it only when told.
final class HeldWriter {
    private let handle: FileHandle
    let url: URL

    /// Creates `url` (empty) and keeps it open for writing.
    init(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        self.url = url
    }

    func write(_ data: Data) throws {
        try handle.write(contentsOf: data)
    }

    func close() throws {
        try handle.close()
    }

    /// Writes `bytes` in two parts: the first `fraction` now; the rest when `finish` is called.
    static func split(_ bytes: Data, at fraction: Double) -> (first: Data, rest: Data) {
        let cut = Int(Double(bytes.count) * fraction)
        return (bytes.prefix(cut), bytes.suffix(from: cut))
    }
}
