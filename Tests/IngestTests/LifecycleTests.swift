import Foundation
import Testing
@testable import Ingest
@testable import Jobs

@Suite struct LifecycleTests {
    @Test func aDroppedFileIsClaimedTranscodedAndMovedToDone() async throws {
        let harness = try ServiceHarness()
        let parts = try harness.assemble()
        try harness.drop("holiday.mp4")
        parts.watcher.scanOnce()
        #expect(harness.names(in: harness.configuration.inbox).isEmpty)
        let queued = try parts.store.jobs()
        #expect(queued.map(\.state) == [.queued])
        #expect(queued[0].sourcePath.hasPrefix(parts.folders.work.path))
        try await harness.drain(parts)
        let job = try #require(try parts.store.jobs().first)
        #expect(job.state == .done)
        #expect(job.sourcePath == parts.folders.done.appendingPathComponent("holiday.mp4").path)
        #expect(FileManager.default.fileExists(atPath: job.sourcePath))
        #expect(harness.names(in: harness.configuration.output) == [job.videoUUID])
        #expect(harness.names(in: parts.folders.work).isEmpty)
    }

    @Test func aFileStillBeingWrittenIsNotTaken() throws {
        let harness = try ServiceHarness { $0.settle = 60 }
        let parts = try harness.assemble()
        try harness.drop("slow.mp4")
        parts.watcher.scanOnce()
        parts.watcher.scanOnce()
        #expect(harness.names(in: harness.configuration.inbox) == ["slow.mp4"])
        #expect(try parts.store.jobs().isEmpty)
        try harness.drop("movie.mp4.part")
        try harness.drop(".hidden.mp4")
        #expect(try parts.store.jobs().isEmpty)
    }

    @Test func theSameContentTwiceIsTranscodedOnce() async throws {
        let harness = try ServiceHarness()
        let parts = try harness.assemble()
        try harness.drop("a.mp4", contents: "same bytes")
        try harness.drop("b.mp4", contents: "same bytes")
        try harness.drop("c.mp4", contents: "other bytes")
        parts.watcher.scanOnce()
        // Two copies of one content are never running at once.
        let first = try #require(try parts.store.claimNext())
        let second = try #require(try parts.store.claimNext())
        #expect(first.fingerprint != second.fingerprint)
        #expect(try parts.store.claimNext() == nil)
        _ = try parts.store.update(first.id!) { $0.state = .queued; $0.attempts = 0 }
        _ = try parts.store.update(second.id!) { $0.state = .queued; $0.attempts = 0 }
        try await harness.drain(parts)
        let jobs = try parts.store.jobs()
        #expect(jobs.map(\.state) == [.done, .duplicate, .done])
        #expect(jobs[1].duplicateOf == jobs[0].id)
        #expect(jobs[1].outputDirectory == jobs[0].outputDirectory)
        #expect(harness.runner.callCount == 2)
        #expect(harness.names(in: parts.folders.done) == ["a.mp4", "b.mp4", "c.mp4"])
    }

    @Test func badInputIsQuarantinedAtOnceWithAReason() async throws {
        let harness = try ServiceHarness([.fail(.badInput)])
        let parts = try harness.assemble()
        try harness.drop("broken.mp4")
        parts.watcher.scanOnce()
        try await harness.drain(parts)
        let job = try #require(try parts.store.jobs().first)
        #expect(job.state == .quarantined && job.attempts == 1)
        #expect(harness.names(in: parts.folders.quarantine) == ["broken.mp4", "broken.mp4.reason.txt"])
        let reason = try String(contentsOf: parts.folders.quarantine.appendingPathComponent("broken.mp4.reason.txt"), encoding: .utf8)
        #expect(reason.hasPrefix("broken.mp4: is not a video") && reason.contains("libav said something"))
        #expect(harness.names(in: harness.configuration.output).isEmpty)
    }

    @Test func retryableFailuresAreRetriedWithBackoffThenQuarantined() async throws {
        let harness = try ServiceHarness([.fail(.internalFailure)]) { $0.maxAttempts = 3; $0.retryBackoff = 0 }
        let parts = try harness.assemble()
        try harness.drop("flaky.mp4")
        parts.watcher.scanOnce()
        try await harness.drain(parts)
        let job = try #require(try parts.store.jobs().first)
        #expect(job.state == .quarantined)
        #expect(job.attempts == 3)
        #expect(harness.runner.callCount == 3)
        #expect(job.reason == "encoder exploded")
    }

    @Test func backoffDelaysTheRetry() async throws {
        let harness = try ServiceHarness([.fail(.internalFailure), .publish]) { $0.retryBackoff = 3600 }
        let parts = try harness.assemble()
        try harness.drop("later.mp4")
        parts.watcher.scanOnce()
        try await harness.drain(parts)
        var job = try #require(try parts.store.jobs().first)
        #expect(job.state == .queued && (job.nextAttemptAt ?? .distantPast) > Date().addingTimeInterval(3500))
        #expect(try parts.store.claimNext() == nil)
        job = try parts.retry.retry(job.id!)
        try await harness.drain(parts)
        #expect(try parts.store.job(job.id!)?.state == .done)
    }

    @Test func aQuarantinedJobCanBeRetried() async throws {
        let harness = try ServiceHarness([.fail(.badInput), .publish])
        let parts = try harness.assemble()
        try harness.drop("second-chance.mp4")
        parts.watcher.scanOnce()
        try await harness.drain(parts)
        let id = try #require(try parts.store.jobs().first?.id)
        _ = try parts.retry.retry(id)
        #expect(harness.names(in: parts.folders.quarantine).isEmpty)
        try await harness.drain(parts)
        #expect(try parts.store.job(id)?.state == .done)
        #expect(harness.names(in: parts.folders.done) == ["second-chance.mp4"])
    }
}
