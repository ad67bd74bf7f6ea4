import Foundation

/// Folders a test process makes for its media and outputs, one per name and process, all
/// removed when the process exits so repeated runs leave nothing in the temporary directory.
public enum ScratchFolder {
    nonisolated(unsafe) private static var made: [URL] = []
    private static let lock = NSLock()

    /// `<tmp>/<name>-<pid>`, created now; the first call registers the removal at exit.
    public static func make(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        lock.withLock {
            if made.isEmpty { atexit { ScratchFolder.removeAll() } }
            made.append(url)
        }
        return url
    }

    private static func removeAll() {
        for url in lock.withLock({ made }) { try? FileManager.default.removeItem(at: url) }
    }
}
