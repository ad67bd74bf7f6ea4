import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
@testable import Ingest
@testable import Jobs

@Suite struct RecoveryTests {
    @Test func reconciliationAfterACrashLosesNothing() throws {
        let harness = try ServiceHarness()
        var parts = try harness.assemble()
        // A job killed while running, with a half-written package folder.
        try harness.drop("running.mp4")
        parts.watcher.scanOnce()
        let running = try #require(try parts.store.claimNext())
        let temporary = harness.configuration.output.appendingPathComponent(".sluice-\(running.videoUUID).tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        // A file claimed into work/ just before the kill, with no job row yet.
        let orphan = parts.folders.work.appendingPathComponent("abcd1234__orphan.mkv")
        try Data("orphan".utf8).write(to: orphan)
        // A job recorded as quarantined whose file had not moved yet.
        try harness.drop("doomed.mp4")
        parts.watcher.scanOnce()
        let doomed = try #require(try parts.store.jobs().last)
        let destination = parts.folders.quarantine.appendingPathComponent("doomed.mp4").path
        _ = try parts.store.update(doomed.id!) { $0.state = .quarantined; $0.finalPath = destination; $0.reason = "broken" }

        parts = try harness.assemble()  // the restart
        #expect(parts.reconciliation.requeued == 1)
        #expect(parts.reconciliation.removedTemporary == [temporary.lastPathComponent])
        #expect(parts.reconciliation.recoveredFiles == 1)
        #expect(parts.reconciliation.finishedMoves == 1)
        let jobs = try parts.store.jobs()
        #expect(jobs.first { $0.file == "running.mp4" }?.state == .queued)
        #expect(jobs.first { $0.file == "orphan.mkv" }?.state == .queued)
        #expect(FileManager.default.fileExists(atPath: destination))
        #expect(FileManager.default.fileExists(atPath: destination + ".reason.txt"))
        #expect(harness.names(in: harness.configuration.output).isEmpty)
    }

    /// A job running when the service is killed goes back uncharged; running at three deaths in a
    /// row, it is quarantined, so no input keeps a supervised service in a restart loop.
    @Test func aJobRunningAtEveryServiceDeathIsQuarantinedAtTheThird() throws {
        // Only jobs run inside the service can take it down (isolation: none).
        let harness = try ServiceHarness { $0.maxInterruptions = 3; $0.isolated = false }
        var parts = try harness.assemble()
        try harness.drop("deadly.mp4")
        parts.watcher.scanOnce()
        for death in 1...3 {
            let job = try #require(try parts.store.claimNext())
            #expect(job.attempts == 1)
            parts = try harness.assemble()  // the service was killed and restarted
            let after = try #require(try parts.store.job(job.id!))
            #expect(after.interruptions == death)
            #expect(after.attempts == 0)
            #expect(after.state == (death < 3 ? .queued : .quarantined))
        }
        let job = try #require(try parts.store.jobs().first)
        #expect(job.reason == "the service died 3 times in a row while this job ran; quarantined so it cannot keep the service in a restart loop")
        #expect(parts.reconciliation.quarantined == 1)
        let quarantined = parts.folders.quarantine.appendingPathComponent("deadly.mp4").path
        #expect(job.sourcePath == quarantined)
        #expect(FileManager.default.fileExists(atPath: quarantined + ".reason.txt"))
    }

    @Test func anAttemptThatEndsResetsTheInterruptions() async throws {
        let harness = try ServiceHarness([.fail(.internalFailure), .publish])
        var parts = try harness.assemble()
        try harness.drop("flaky.mp4")
        parts.watcher.scanOnce()
        _ = try #require(try parts.store.claimNext())
        parts = try harness.assemble()
        #expect(try parts.store.jobs().first?.interruptions == 1)
        try await harness.drain(parts)
        let job = try #require(try parts.store.jobs().first)
        #expect(job.state == .done)
        #expect(job.interruptions == 0)
        #expect(job.attempts == 2)
    }

    @Test func aPackagePublishedBeforeTheCrashIsNotMadeTwice() async throws {
        let harness = try ServiceHarness()
        var parts = try harness.assemble()
        try harness.drop("almost.mp4")
        parts.watcher.scanOnce()
        let job = try #require(try parts.store.claimNext())
        let published = harness.configuration.output.appendingPathComponent(job.videoUUID)
        try FileManager.default.createDirectory(at: published, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: published.appendingPathComponent("manifest.json"))
        parts = try harness.assemble()
        try await harness.drain(parts)
        #expect(try parts.store.job(job.id!)?.state == .done)
        #expect(harness.runner.callCount == 0)
        #expect(harness.names(in: harness.configuration.output) == [job.videoUUID])
    }

    @Test func theWatchdogCancelsAStalledJobAndRetriesIt() async throws {
        let harness = try ServiceHarness([.stall, .publish]) { $0.stallTimeout = 0.3; $0.workers = 1 }
        let parts = try harness.assemble()
        try harness.drop("stuck.mp4")
        parts.watcher.scanOnce()
        // Two starts: the stall was cancelled and the job ran again.
        try await runPool(parts, harness: harness, untilStarted: 2)
        let job = try #require(try parts.store.jobs().first)
        #expect(job.state == .done)
        #expect(job.attempts == 2)
        #expect(harness.runner.callCount == 2)
    }

    /// The fake runner only stops when cancelled, so reaching the end at all shows that shutdown
    /// cancelled the job instead of waiting for it; the time limit turns a regression into a
    /// failure rather than a hung run.
    @Test(.timeLimit(.minutes(1))) func shutdownLetsRunningJobsGoBackToTheQueue() async throws {
        // A long stall timeout: on a loaded machine the watchdog (0.3 s in the harness) could end the
        // silent job before the shutdown does, which charges the attempt this test says is not charged.
        let harness = try ServiceHarness([.runUntilCancelled]) { $0.shutdownTimeout = 0.2; $0.stallTimeout = 60; $0.workers = 1 }
        let parts = try harness.assemble()
        try harness.drop("long.mp4")
        parts.watcher.scanOnce()
        try await runPool(parts, harness: harness, untilStarted: 1)
        let job = try #require(try parts.store.jobs().first)
        #expect(job.state == .queued)
        #expect(job.attempts == 0)
        #expect(FileManager.default.fileExists(atPath: job.sourcePath))
    }

    /// Runs the worker pool until the runner has been started `count` times, then shuts it
    /// down gracefully (as SIGTERM would) and waits for it to return.
    private func runPool(_ parts: IngestService.Parts, harness: ServiceHarness, untilStarted count: Int) async throws {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await parts.pool.run() }
                await harness.runner.waitUntilStarted(count)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
