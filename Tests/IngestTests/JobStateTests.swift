import Foundation
import Testing
@testable import Ingest
@testable import Jobs

@Suite struct JobStateTests {
    @Test func theStateMachineAllowsOnlyItsEdges() {
        #expect(JobState.queued.canMove(to: .running))
        #expect(JobState.running.canMove(to: .done))
        #expect(JobState.running.canMove(to: .queued))
        #expect(JobState.running.canMove(to: .quarantined))
        #expect(JobState.quarantined.canMove(to: .queued))
        #expect(!JobState.done.canMove(to: .running))
        #expect(!JobState.done.canMove(to: .queued))
        #expect(!JobState.duplicate.canMove(to: .running))
        #expect(!JobState.queued.canMove(to: .done))
        #expect(JobState.allCases.filter(\.isTerminal) == [.done, .duplicate, .quarantined])
    }

    @Test func theStoreRefusesIllegalTransitions() throws {
        let harness = try ServiceHarness()
        let parts = try harness.assemble()
        let job = try parts.store.insert(Job(file: "a.mp4", sourcePath: "/x", fingerprint: "f", size: 1))
        #expect(throws: JobStoreError.self) { try parts.store.update(job.id!) { stored in stored.state = .done } }
    }

    @Test func settleWindowWaitsForSizeAndTimeToStayPut() {
        var tracker = SettleTracker(window: 10)
        let start = Date(timeIntervalSince1970: 1000)
        let first = SettleTracker.Observation(size: 100, modified: start)
        var settled = tracker.observe("/in/a", first, now: start)
        #expect(!settled)
        settled = tracker.observe("/in/a", first, now: start.addingTimeInterval(9.9))
        #expect(!settled)
        // Still growing: the clock starts again.
        let grown = SettleTracker.Observation(size: 200, modified: start.addingTimeInterval(9))
        settled = tracker.observe("/in/a", grown, now: start.addingTimeInterval(10))
        #expect(!settled)
        settled = tracker.observe("/in/a", grown, now: start.addingTimeInterval(19.9))
        #expect(!settled)
        settled = tracker.observe("/in/a", grown, now: start.addingTimeInterval(20))
        #expect(settled)
        #expect(tracker.nextDeadline() == start.addingTimeInterval(20))
        tracker.keepOnly([])
        #expect(tracker.nextDeadline() == nil)
    }

    @Test func hiddenAndTemporaryNamesAreIgnored() {
        for name in [".hidden.mp4", "movie.mp4.part", "x.tmp", "dl.crdownload", "edit.mp4~", "~lock"] {
            #expect(InboxScanner.isIgnoredName(name), "\(name)")
        }
        #expect(!InboxScanner.isIgnoredName("holiday.mkv"))
    }

    @Test func symlinksLeavingTheInboxAreNotFollowed() throws {
        let harness = try ServiceHarness()
        let outside = harness.root.appendingPathComponent("secret.mp4")
        try FileManager.default.createDirectory(at: harness.root, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: outside)
        try harness.drop("inside.mp4")
        try FileManager.default.createSymbolicLink(at: harness.configuration.inbox.appendingPathComponent("link.mp4"),
                                                   withDestinationURL: outside)
        let names = InboxScanner(inbox: harness.configuration.inbox).scan().candidates.map(\.name)
        #expect(names == ["inside.mp4"])
    }

    @Test func configurationLayersFileThenEnvironmentThenFlags() throws {
        let harness = try ServiceHarness()
        try FileManager.default.createDirectory(at: harness.root, withIntermediateDirectories: true)
        let file = harness.root.appendingPathComponent("sluice.yaml")
        try "tier: large\nworkers: 3\nsettle: 5\n".write(to: file, atomically: true, encoding: .utf8)
        var configuration = try IngestConfiguration.load(file: file, environment: ["SLUICE_WORKERS": "4", "SLUICE_STALL_TIMEOUT": "9"])
        #expect(configuration.tier == "large" && configuration.workers == 4 && configuration.settle == 5)
        #expect(configuration.stallTimeout == 9)
        try configuration.apply(["workers": "1"])
        #expect(configuration.workers == 1)
        #expect(throws: ConfigurationError.self) { try configuration.apply(["wrkers": "1"]) }
        #expect(throws: ConfigurationError.self) { try configuration.apply(["settle": "soon"]) }
        #expect(IngestConfiguration.environmentName("stallTimeout") == "STALL_TIMEOUT")
    }
}
