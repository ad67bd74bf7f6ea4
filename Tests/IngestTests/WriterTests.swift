import Foundation
@testable import Ingest
@testable import Jobs
import Ladder
import Logging
import Packaging
import ServiceLifecycle
import ServiceLifecycleTestKit
import TestSupport
import Testing
import Transcoding

/// The watch folder as a screen recorder's or a copy's target: a file open for writing is never
/// taken however long its writer pauses, a finished file is taken at once, a source that
/// changes under its job is transcoded again, and folders dropped into the inbox are taken too.
@Suite(.serialized) struct WriterTests {
    /// A 6 s clip with audio, as `format` writes it: Matroska streamed to a pipe (no duration,
    /// no index, as OBS records) or MP4 with its index at the end (ffmpeg's default).
    static func recording(_ format: String, seed: Int) throws -> Data {
        let url = TestScratch.path("recording").appendingPathExtension(format == "matroska" ? "mkv" : "mp4")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25,hue=h=\(seed * 50)",
                         "-f", "lavfi", "-i", "sine=frequency=\(400 + seed)", "-t", "6",
                         "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-c:a", "aac"]
        if format == "matroska" {
            // Written to a pipe: no seeking back, so no duration and no cues, as a live recording.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ffmpeg", "-v", "error", "-nostdin"] + arguments + ["-f", "matroska", "pipe:1"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        arguments += ["-f", "mp4"]
        try FFmpegCLI.make(url, arguments)
        return try Data(contentsOf: url)
    }

    /// Runs every queued job with the real engine (in this process) until none is left.
    static func drain(_ parts: IngestService.Parts, _ configuration: IngestConfiguration, runner: any TranscodeRunner) async {
        let processor = JobProcessor(store: parts.store, folders: parts.folders, policy: configuration.jobPolicy,
                                     pipeline: PipelineCatalog.builtIn("small")!, runner: runner, logger: Logger(label: "test"),
                                     monitor: parts.monitor, diskGuard: parts.diskGuard)
        while let job = try? parts.store.claimNext(now: Date().addingTimeInterval(3600)) {
            await processor.process(job)
        }
    }

    @Test(arguments: ["matroska", "mp4"])
    func aWriterThatPausesForSeveralSettleWindowsEndsAsOnePackageOfTheWholeFile(format: String) async throws {
        var harness = try ServiceHarness { $0.settle = 1 }
        harness.configuration.settle = 1
        let parts = try harness.assemble()
        let bytes = try Self.recording(format, seed: format.count)
        let name = format == "matroska" ? "recording.mkv" : "recording.mp4"
        let writer = try HeldWriter(harness.configuration.inbox.appendingPathComponent(name))
        let (first, rest) = HeldWriter.split(bytes, at: 0.4)
        try writer.write(first)
        // Paused for an hour of settle windows: the writer still holds the file open.
        for minutes in [1.0, 10, 60] { parts.watcher.scanOnce(now: Date().addingTimeInterval(minutes * 60)) }
        #expect(try parts.store.jobs().isEmpty)
        let waiting = try #require(InboxWaiting.read(state: harness.configuration.state))
        #expect(waiting.files == [InboxWaiting.File(file: name, size: Int64(first.count), state: InboxWaiting.beingWritten)])
        // The service restarts meanwhile: still not taken.
        let restarted = try harness.assemble()
        restarted.watcher.scanOnce(now: Date().addingTimeInterval(7200))
        #expect(try restarted.store.jobs().isEmpty)

        try writer.write(rest)
        try writer.close()
        // Its size changed at the close: taken once it has settled (at once with inotify's close event).
        restarted.watcher.scanOnce(now: Date().addingTimeInterval(7300))
        restarted.watcher.scanOnce(now: Date().addingTimeInterval(7302))
        await Self.drain(restarted, harness.configuration, runner: EngineRunner())
        let job = try #require(try restarted.store.jobs().first)
        #expect(job.state == .done, "\(job.reason ?? "")")
        #expect(job.attempts == 1)
        let manifest = try PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: job.outputDirectory! + "/manifest.json")))
        #expect(abs(manifest.duration - 6) < 0.2, "the whole recording, not the part written before the pause")
        let filed = try Data(contentsOf: URL(fileURLWithPath: job.sourcePath))
        #expect(filed == bytes)
        #expect(harness.names(in: restarted.folders.quarantine).isEmpty)
    }

    @Test func aSourceThatChangesUnderItsJobIsNotPublishedAndItsNewContentIsTranscodedOnce() async throws {
        let harness = try ServiceHarness()
        let parts = try harness.assemble()
        let source = try harness.drop("growing.mp4", contents: "first part")
        parts.watcher.scanOnce()
        let taken = try #require(try parts.store.jobs().first)
        #expect(taken.taken?.size == 10)
        #expect(!FileManager.default.fileExists(atPath: source.path))
        let runner = ChangingRunner()
        await Self.drain(parts, harness.configuration, runner: runner)
        let job = try #require(try parts.store.jobs().first)
        #expect(runner.calls == 2, "the stale package is thrown away and the new content transcoded once more")
        #expect(job.state == .done)
        #expect(job.attempts == 1, "the attempt spent on the stale part is not charged")
        #expect(job.taken?.size == Int64("first part, and more".utf8.count))
        #expect(harness.names(in: harness.configuration.output) == [job.videoUUID])
        #expect(try String(contentsOfFile: job.sourcePath, encoding: .utf8) == "first part, and more")
    }

    @Test func aFailureOfAPartIsNotQuarantinedWhenItsWriterWentOn() async throws {
        let harness = try ServiceHarness()
        let parts = try harness.assemble()
        try harness.drop("copy.mkv", contents: "first part")
        parts.watcher.scanOnce()
        // The copy goes on while the part taken fails as truncated (a network share hides its writer).
        let runner = ChangingRunner(firstAttempt: .fail(.badInput))
        await Self.drain(parts, harness.configuration, runner: runner)
        let job = try #require(try parts.store.jobs().first)
        #expect(job.state == .done, "\(job.reason ?? "")")
        #expect(runner.calls == 2)
        #expect(harness.names(in: parts.folders.quarantine).isEmpty)
        #expect(try String(contentsOfFile: job.sourcePath, encoding: .utf8) == "first part, and more")
    }

    @Test func aClosedWriteAndARenameIntoTheInboxAreTakenWithoutWaitingOutTheSettleWindow() async throws {
        let harness = try ServiceHarness { $0.settle = 60 }
        let parts = try harness.assemble()
        let inbox = harness.configuration.inbox
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await parts.watcher.run() }
                await parts.watcher.watching.wait(timeout: .seconds(30))
                let started = Date()
                let writer = try HeldWriter(inbox.appendingPathComponent("saved.mp4"))
                try writer.write(Data("a finished recording".utf8))
                try writer.close()
                let outside = harness.root.appendingPathComponent("elsewhere.mp4")
                try Data("a finished download".utf8).write(to: outside)
                try FileManager.default.moveItem(at: outside, to: inbox.appendingPathComponent("moved.mp4"))
                while try parts.store.jobs().count < 2 && Date().timeIntervalSince(started) < 30 {
                    await parts.pool.signal.wait(timeout: .seconds(1))
                }
                #expect(try parts.store.jobs().map(\.file).sorted() == ["moved.mp4", "saved.mp4"])
                #expect(Date().timeIntervalSince(started) < 30, "taken at once, not after the 60 s settle window")
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test func aFolderMovedIntoTheInboxIsTakenFileByFileAndRemovedOnceEmpty() async throws {
        let harness = try ServiceHarness()
        let parts = try harness.assemble()
        let album = harness.root.appendingPathComponent("album")
        try FileManager.default.createDirectory(at: album.appendingPathComponent("day 2"), withIntermediateDirectories: true)
        try Data("one".utf8).write(to: album.appendingPathComponent("one.mp4"))
        try Data("two".utf8).write(to: album.appendingPathComponent("day 2/two.mp4"))
        try FileManager.default.moveItem(at: album, to: harness.configuration.inbox.appendingPathComponent("album"))
        parts.watcher.scanOnce()
        #expect(try parts.store.jobs().map(\.file).sorted() == ["album/day 2/two.mp4", "album/one.mp4"])
        await Self.drain(parts, harness.configuration, runner: harness.runner)
        #expect(try parts.store.jobs().allSatisfy { $0.state == .done })
        #expect(FileManager.default.fileExists(atPath: parts.folders.done.appendingPathComponent("album/day 2/two.mp4").path))
        parts.watcher.scanOnce(now: Date().addingTimeInterval(60))
        parts.watcher.scanOnce(now: Date().addingTimeInterval(60))
        #expect(harness.names(in: harness.configuration.inbox).isEmpty, "emptied folders are removed")
    }

    @Test func aFolderCopiedInSlowlyKeepsItsFolderUntilItsLastFileIsTaken() throws {
        let harness = try ServiceHarness()
        let parts = try harness.assemble()
        let trip = harness.configuration.inbox.appendingPathComponent("trip")
        let first = try HeldWriter(trip.appendingPathComponent("a.mp4"))
        try first.write(Data("first video".utf8))
        try first.close()
        parts.watcher.scanOnce()
        #expect(try parts.store.jobs().map(\.file) == ["trip/a.mp4"])
        parts.watcher.scanOnce()
        #expect(harness.names(in: harness.configuration.inbox) == ["trip"], "a folder just emptied may still be being copied")
        let second = try HeldWriter(trip.appendingPathComponent("b.mp4"))
        try second.write(Data("second vid".utf8))
        parts.watcher.scanOnce(now: Date().addingTimeInterval(600))
        #expect(try parts.store.jobs().count == 1, "b.mp4 is still open for writing")
        #expect(InboxWaiting.read(state: harness.configuration.state)?.files.map(\.file) == ["trip/b.mp4"])
        try second.write(Data("eo".utf8))
        try second.close()
        parts.watcher.scanOnce(now: Date().addingTimeInterval(601))
        #expect(try parts.store.jobs().map(\.file) == ["trip/a.mp4", "trip/b.mp4"])
        #expect(try parts.store.jobs().last?.size == Int64("second video".utf8.count))
        parts.watcher.scanOnce(now: Date().addingTimeInterval(700))
        #expect(harness.names(in: harness.configuration.inbox).isEmpty)
    }
}

/// Publishes like the fake runner, but the first time appends to the source as it transcodes,
/// as a writer that reopened the file would, and does not notice (the service must); that first
/// attempt publishes, or fails as a part of a file would.
final class ChangingRunner: TranscodeRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }
    private let publisher: FakeRunner

    init(firstAttempt: FakeRunner.Behaviour = .publish) {
        publisher = FakeRunner([firstAttempt, .publish])
    }

    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        let first = lock.withLock { count += 1; return count == 1 }
        if first {
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(", and more".utf8))
            try handle.close()
        }
        return try await publisher.transcode(file: file, options: options, cancellation: cancellation, progress: progress)
    }

    func check(file: URL, limits: InputLimits) async throws {}
}

/// Whether a process has a file open for writing, as the kernel tells it.
@Suite struct WriterCheckTests {
    @Test func aFileOpenForWritingIsToldApartFromAClosedOrReadOnlyOne() throws {
        let url = TestScratch.path("writer-check")
        let writer = try HeldWriter(url)
        #expect(WriterCheck.state(of: url.path) == .openForWriting)
        #expect(WriterCheck.procScan(url.path, maximumAge: 0) == .openForWriting)
        try writer.close()
        #expect(WriterCheck.state(of: url.path) == .closed)
        #expect(WriterCheck.procScan(url.path, maximumAge: 0) == .closed)
        let reader = try FileHandle(forReadingFrom: url)
        #expect(WriterCheck.state(of: url.path) == .closed, "a reader is not a writer")
        try reader.close()
        #expect(WriterCheck.state(of: url.path + ".missing") == .unknown)
    }

    @Test func aWriterInAnotherProcessIsSeen() throws {
        let url = TestScratch.path("writer-check-child")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A shell holding the file open for writing until its stdin closes.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec 3>\"$0\"; echo opened; read line", url.path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        _ = output.fileHandleForReading.availableData  // "opened": the descriptor exists now
        #expect(WriterCheck.state(of: url.path) == .openForWriting)
        #expect(WriterCheck.procScan(url.path, maximumAge: 0) == .openForWriting)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(WriterCheck.state(of: url.path) == .closed)
    }
}
