import Foundation
import TestSupport

/// One temporary folder per test process for the service's and the import's throw-away
/// folders, removed when the process exits so repeated runs leave nothing behind.
enum TestScratch {
    static let folder = ScratchFolder.make("sluice-ingest-tests")

    /// A new, not yet created path inside the scratch folder.
    static func path(_ prefix: String) -> URL {
        folder.appendingPathComponent("\(prefix)-\(UUID())")
    }
}
