import Foundation
import Jobs
import Ladder
import Testing
import TestSupport
import Transcoding

/// One job's child process against faults injected into FFmpeg's own calls: each ends that
/// child only, with a reason that names what happened, and leaves no half-written output.
@Suite struct IsolatedRunnerTests {
    let folder = FaultLab.folder.appendingPathComponent("runner-\(UUID())")
    var output: URL { folder.appendingPathComponent("out") }

    func options() -> TranscodeOptions {
        TranscodeOptions(pipeline: PipelineCatalog.builtIn("small")!, outputDirectory: output, videoUUID: UUID())
    }

    func outputNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).sorted()
    }

    @Test(arguments: [("clip-CRASHME.mp4", "signal 11, SIGSEGV"), ("clip-ABORTME.mp4", "signal 6, SIGABRT")])
    func aCrashFailsItsOwnJobAndNotTheOneBesideIt(name: String, signal: String) async throws {
        let runner = try FaultLab.runner()
        let bad = try FaultLab.clip(name, in: folder, seed: 1)
        let good = try FaultLab.clip("neighbour.mp4", in: folder, seed: 2)
        async let neighbour = runner.transcode(file: good, options: options(), cancellation: CancellationFlag()) { _ in }
        let error = await #expect(throws: TranscodeError.self) {
            try await runner.transcode(file: bad, options: options(), cancellation: CancellationFlag()) { _ in }
        }
        #expect(error?.kind == .crashed)
        #expect(error?.reason.hasPrefix("the transcoder crashed (\(signal)) at 00:00:") == true)
        #expect(error?.reason.hasSuffix(" of 00:00:04") == true)
        #expect(error?.isRetryable == true)
        let result = try await neighbour
        #expect(FileManager.default.fileExists(atPath: result.master))
        #expect(outputNames() == [result.videoUUID])
    }

    /// A studio edit runs in a child of its own too: a decoder crash halfway through fails that
    /// edit with the signal named, leaves no file at its output, and the edit beside it completes.
    @Test func aCrashInAStudioEditFailsThatEditOnly() async throws {
        let runner = try FaultLab.runner()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let bad = try FaultLab.clip("edit-CRASHME.mp4", in: folder, seed: 4)
        let good = try FaultLab.clip("edit-neighbour.mp4", in: folder, seed: 5)
        let cut: [StudioTask] = [.cut(start: 1, end: 3)]
        let goodOptions = StudioEditOptions(input: good, separateAudio: nil, tasks: cut, output: output.appendingPathComponent("good.mp4"))
        let badOptions = StudioEditOptions(input: bad, separateAudio: nil, tasks: cut, output: output.appendingPathComponent("bad.mp4"))
        async let neighbour = runner.edit(goodOptions, cancellation: CancellationFlag()) { _ in }
        let error = await #expect(throws: TranscodeError.self) {
            try await runner.edit(badOptions, cancellation: CancellationFlag()) { _ in }
        }
        #expect(error?.kind == .crashed && error?.reason.contains("SIGSEGV") == true, "\(error?.reason ?? "")")
        let result = try await neighbour
        #expect(abs(result.duration - 2) < 0.1)
        #expect(outputNames() == ["good.mp4"], "nothing of the crashed edit is left")
    }

    /// A live runs in a child for its whole length: a decoder crash mid-stream ends that live
    /// with the signal named (and not the stream key), and nothing else.
    @Test func aCrashInALiveEndsThatLiveOnly() async throws {
        let runner = try FaultLab.runner()
        let source = try RTMPSource(seconds: 20, key: "key-CRASHME")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let request = LiveRequest(renditions: [RenditionRequest(resolution: 240, fps: 25)], segmentDuration: 2, segmentListSize: 15)
        let options = LiveOptions(url: source.url, request: request, outputDirectory: output.path)
        let error = await #expect(throws: TranscodeError.self) {
            try await runner.live(options, cancellation: CancellationFlag()) { _ in }
        }
        #expect(error?.kind == .crashed && error?.reason.contains("SIGSEGV") == true, "\(error?.reason ?? "")")
        #expect(error?.description.contains("CRASHME") == false, "the stream key stays out of the reason")
        source.stop()
    }

    /// Jobs forked by the spawner and jobs started as `sluice job-worker` (the fallback when no
    /// spawner can start) behave alike.
    @Test(arguments: [true, false]) func bothWaysOfStartingAChildRunJobsAndReportCrashes(forkServer: Bool) async throws {
        var runner = try FaultLab.runner()
        runner.usesForkServer = forkServer
        let good = try FaultLab.clip("plain.mp4", in: folder, seed: 9)
        let result = try await runner.transcode(file: good, options: options(), cancellation: CancellationFlag()) { _ in }
        #expect(result.renditions.map(\.resolution) == [240])
        let bad = try FaultLab.clip("clip-CRASHME.mp4", in: folder, seed: 10)
        let error = await #expect(throws: TranscodeError.self) {
            try await runner.transcode(file: bad, options: options(), cancellation: CancellationFlag()) { _ in }
        }
        #expect(error?.reason.hasPrefix("the transcoder crashed (signal 11, SIGSEGV)") == true)
        #expect(outputNames() == [result.videoUUID])
    }

    /// A child blocked inside a C call ignores SIGTERM's request; SIGKILL after the grace ends it.
    @Test(.timeLimit(.minutes(1))) func aChildHungInsideFFmpegIsEndedByForce() async throws {
        let runner = try FaultLab.runner()
        let hung = try FaultLab.clip("clip-HANGME.mp4", in: folder, seed: 3)
        let cancellation = CancellationFlag()
        let error = await #expect(throws: TranscodeError.self) {
            try await runner.transcode(file: hung, options: options(), cancellation: cancellation) { progress in
                if progress.stage == .encoding { cancellation.cancel() }
            }
        }
        #expect(error?.kind == .cancelled)
        #expect(outputNames().isEmpty)
    }

    @Test func aJobOverItsMemoryLimitIsStopped() async throws {
        let runner = try FaultLab.runner(memory: 256 << 20)
        let hog = try FaultLab.clip("clip-HOGME.mp4", in: folder, seed: 4)
        let error = await #expect(throws: TranscodeError.self) {
            try await runner.transcode(file: hog, options: options(), cancellation: CancellationFlag()) { _ in }
        }
        #expect(error?.kind == .overMemory)
        #expect(error?.reason.hasPrefix("exceeded the memory limit of 256 MiB") == true)
        #expect(error?.isRetryable == false)
        #expect(outputNames().isEmpty)
    }

    @Test func aFullDiskIsReportedAsSuch() async throws {
        let runner = try FaultLab.runner()
        let clip = try FaultLab.clip("clip-FULLDISK.mp4", in: folder, seed: 5)
        let error = await #expect(throws: TranscodeError.self) {
            try await runner.transcode(file: clip, options: options(), cancellation: CancellationFlag()) { _ in }
        }
        #expect(error?.kind == .noSpace)
        #expect(error?.reason.contains("No space left on device") == true)
    }

    @Test func checksRunInAChildToo() async throws {
        let runner = try FaultLab.runner()
        let good = try FaultLab.clip("fine.mp4", in: folder, seed: 6)
        try await runner.check(file: good, limits: .none)

        let crash = try FaultLab.clip("clip-PROBECRASH.mp4", in: folder, seed: 7)
        let crashed = await #expect(throws: TranscodeError.self) { try await runner.check(file: crash, limits: .none) }
        #expect(crashed?.kind == .crashed)
        #expect(crashed?.reason == "the transcoder crashed (signal 11, SIGSEGV)")

        let hang = try FaultLab.clip("clip-PROBEHANG.mp4", in: folder, seed: 8)
        let hung = await #expect(throws: TranscodeError.self) { try await runner.check(file: hang, limits: .none) }
        #expect(hung?.kind == .stalled)
        #expect(hung?.reason == "stalled: no answer for 3 s")

        let tooLong = await #expect(throws: TranscodeError.self) {
            try await runner.check(file: good, limits: InputLimits(maxDuration: 2, maxPixels: 0))
        }
        #expect(tooLong?.kind == .badInput)
        #expect(tooLong?.reason == "lasts 00:00:04, over the limit of 00:00:02 (maxDuration)")
        let tooLarge = await #expect(throws: TranscodeError.self) {
            try await runner.check(file: good, limits: InputLimits(maxDuration: 0, maxPixels: 320 * 200))
        }
        #expect(tooLarge?.reason == "is 320x240 (0.07 megapixels), over the limit of 0.06 megapixels (maxPixels)")
    }

    /// A child whose parent is already gone when it starts would never get the parent-death
    /// signal: it must stop at once rather than run as an orphan.
    @Test func aChildWithoutItsParentStopsAtOnce() throws {
        let process = Process()
        process.executableURL = try FaultLab.sluice
        process.arguments = ["job-worker"]
        process.environment = ["SLUICE_PARENT_PID": "1"]
        process.standardInput = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 70)
    }
}
