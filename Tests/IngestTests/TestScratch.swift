import Foundation

/// One temporary folder per test process for the service's and the import's throw-away
/// folders, removed when the process exits so repeated runs leave nothing behind.
enum TestScratch {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-ingest-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestScratch.folder) }
        return url
    }()

    /// A new, not yet created path inside the scratch folder.
    static func path(_ prefix: String) -> URL {
        folder.appendingPathComponent("\(prefix)-\(UUID())")
    }
}
