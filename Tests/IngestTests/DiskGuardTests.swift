import Foundation
@testable import Ingest
@testable import Jobs
import Ladder
import Logging
import Testing
import Transcoding

/// A full disk pauses the queue and charges nobody; space coming back resumes it.
@Suite struct DiskGuardTests {
    /// Free space the tests set, as the kernel would report it.
    final class Disk: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: Int64
        init(_ bytes: Int64) { self.bytes = bytes }
        var free: Int64 {
            get { lock.withLock { bytes } }
            set { lock.withLock { bytes = newValue } }
        }
    }

    @Test func aJobIsTakenOnlyWithTheMarginAndTheOthersReservationsFree() {
        let megabyte: Int64 = 1_000_000
        let disk = Disk(600 * megabyte)
        let guardian = DiskGuard(paths: [URL(fileURLWithPath: "/out")], minimumFree: 100 * megabyte) { _ in disk.free }
        #expect(guardian.hasRoomForAnotherJob())
        #expect(guardian.admit(job: 1, bytes: 400 * megabyte))
        #expect(!guardian.admit(job: 2, bytes: 200 * megabyte))
        #expect(guardian.shortageReason == "low disk space on /out: 600 MB free, 700 MB needed (600 MB for job 2 and the running jobs + 100 MB margin)")
        // Job 2 went back to the queue; nothing more is taken until its 200 MB fit beside job 1's 400 MB.
        #expect(!guardian.hasRoomForAnotherJob())
        guardian.release(job: 1)
        #expect(guardian.hasRoomForAnotherJob())
        #expect(guardian.shortageReason == nil)
    }

    @Test func enospcWaitsForSpaceOnlyWhenTheDiskIsReallyShort() {
        let disk = Disk(10_000)
        let guardian = DiskGuard(paths: [URL(fileURLWithPath: "/out")], minimumFree: 100) { _ in disk.free }
        #expect(!guardian.noteDiskFull(needing: 500))  // plenty free: not the disk's state
        disk.free = 300
        #expect(guardian.noteDiskFull(needing: 500))
        #expect(!guardian.hasRoomForAnotherJob())
        disk.free = 600
        #expect(guardian.hasRoomForAnotherJob())
    }

    @Test func aJobWhoseEstimateDoesNotFitGoesBackUnchargedAndRunsWhenSpaceReturns() async throws {
        let disk = Disk(50 << 20)
        let harness = try ServiceHarness([.publish]) { $0.minFreeSpace = 1 << 20 }
        let runner = EstimatingRunner(estimate: 100 << 20)
        let parts = try IngestService.assemble(configuration: harness.configuration, pipeline: PipelineCatalog.builtIn("small")!,
                                               logger: Logger(label: "test"), runner: runner, freeSpace: { _ in disk.free })
        try harness.drop("big.mp4")
        parts.watcher.scanOnce()
        let processor = JobProcessor(store: parts.store, folders: parts.folders, policy: harness.configuration.jobPolicy,
                                     pipeline: PipelineCatalog.builtIn("small")!, runner: runner, logger: Logger(label: "test"),
                                     monitor: parts.monitor, diskGuard: parts.diskGuard)
        await processor.process(try #require(try parts.store.claimNext()))
        var job = try #require(try parts.store.jobs().first)
        #expect(job.state == .queued)
        #expect(job.attempts == 0)
        #expect(job.estimatedBytes == 100 << 20)
        #expect(job.reason?.hasPrefix("low disk space on ") == true)
        #expect(!parts.diskGuard.hasRoomForAnotherJob())

        disk.free = 200 << 20
        #expect(parts.diskGuard.hasRoomForAnotherJob())
        await processor.process(try #require(try parts.store.claimNext()))
        job = try #require(try parts.store.jobs().first)
        #expect(job.state == .done)
        #expect(job.attempts == 1)
        #expect(runner.calls == 2)
    }
}

/// Reports a size estimate as a real child does right after probing, then publishes unless
/// cancelled meanwhile (as the disk guard does when the estimate does not fit).
final class EstimatingRunner: TranscodeRunner, @unchecked Sendable {
    let estimate: Int64
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }

    init(estimate: Int64) { self.estimate = estimate }

    func check(file: URL, limits: InputLimits) async throws {}

    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        lock.withLock { count += 1 }
        progress(TranscodeProgress(stage: .probing, fraction: 0, duration: 10, estimatedBytes: estimate))
        if cancellation.isCancelled { throw TranscodeError(.cancelled, file: file.path, reason: "cancelled") }
        let uuid = options.videoUUID?.uuidString.lowercased() ?? UUID().uuidString.lowercased()
        let folder = options.outputDirectory.appendingPathComponent(uuid)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: folder.appendingPathComponent("manifest.json"))
        return TranscodeResult(directory: folder.path, master: folder.appendingPathComponent("m.m3u8").path, videoUUID: uuid,
                               duration: 10, elapsed: 0.01, speed: 1000, renditions: [])
    }
}
