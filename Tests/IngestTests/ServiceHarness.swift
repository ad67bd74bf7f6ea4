import Foundation
@testable import Ingest
@testable import Jobs
import Ladder
import Logging

/// A throw-away inbox, output and state folder with the service's parts assembled.
struct ServiceHarness {
    let root: URL
    var configuration = IngestConfiguration()
    let runner: FakeRunner

    init(_ behaviours: [FakeRunner.Behaviour] = [.publish], change: (inout IngestConfiguration) -> Void = { _ in }) throws {
        root = TestScratch.path("service")
        configuration.inbox = root.appendingPathComponent("inbox")
        configuration.output = root.appendingPathComponent("out")
        configuration.state = root.appendingPathComponent("state")
        configuration.settle = 0
        configuration.http = nil
        configuration.workers = 2
        configuration.retryBackoff = 0
        configuration.stallTimeout = 0.3
        configuration.shutdownTimeout = 0.2
        change(&configuration)
        runner = FakeRunner(behaviours)
    }

    func assemble(metrics: JobMetrics = JobMetrics()) throws -> IngestService.Parts {
        try IngestService.assemble(configuration: configuration, pipeline: PipelineCatalog.builtIn("small")!,
                                   logger: Logger(label: "test"), runner: runner, metrics: metrics)
    }

    @discardableResult
    func drop(_ name: String, contents: String = "video bytes") throws -> URL {
        let url = configuration.inbox.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: configuration.inbox, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
        return url
    }

    func names(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// Runs every queued job to its next state with the pool's processor, one at a time.
    func drain(_ parts: IngestService.Parts) async throws {
        let processor = JobProcessor(store: parts.store, folders: parts.folders, policy: configuration.jobPolicy,
                                     pipeline: PipelineCatalog.builtIn("small")!, runner: runner, logger: Logger(label: "test"),
                                     monitor: parts.monitor, diskGuard: parts.diskGuard)
        while let job = try parts.store.claimNext() {
            await processor.process(job)
        }
    }
}
