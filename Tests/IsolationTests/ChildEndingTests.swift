import Foundation
@testable import Jobs
import Ladder
import Testing
import Transcoding

/// How the end of a child becomes a job's outcome: pure rules, no process started.
@Suite struct ChildEndingTests {
    func ending(_ exit: ChildExit, peak: Int64 = 100 << 20) -> ChildEnding {
        ChildEnding(file: "in.mp4", exit: exit, peakBytes: peak, memoryLimit: 1 << 30, position: " at 00:01:12 of 00:03:40",
                    logTail: ["[h264] error while decoding"], silenceLimit: 30)
    }

    func failure(_ ending: ChildEnding, terminal: WorkerMessage? = nil, verdict: ChildEnding.Verdict? = nil) -> TranscodeError? {
        do {
            _ = try ending.outcome(terminal: terminal, verdict: verdict)
            return nil
        } catch {
            return error
        }
    }

    @Test func waitStatusesDecode() {
        #expect(ChildExit(waitStatus: 0) == .exited(0))
        #expect(ChildExit(waitStatus: 3 << 8) == .exited(3))
        #expect(ChildExit(waitStatus: SIGSEGV) == .signaled(SIGSEGV))
        #expect(ChildExit(waitStatus: SIGKILL) == .signaled(SIGKILL))
    }

    @Test func aSignalNamesItselfWithThePosition() throws {
        let error = try #require(failure(ending(.signaled(SIGSEGV))))
        #expect(error.kind == .crashed)
        #expect(error.reason == "the transcoder crashed (signal 11, SIGSEGV) at 00:01:12 of 00:03:40")
        #expect(error.logTail == ["[h264] error while decoding"])
        let killed = try #require(failure(ending(.signaled(SIGKILL))))
        #expect(killed.reason.hasPrefix("the transcoder was killed (signal 9, SIGKILL"))
    }

    @Test func anExitWithoutAResultIsACrash() throws {
        let error = try #require(failure(ending(.exited(0))))
        #expect(error.kind == .crashed)
        #expect(error.reason == "the transcoder exited with status 0 without a result at 00:01:12 of 00:03:40")
    }

    @Test func theReportedFailureWins() throws {
        let reported = TranscodeError(.badInput, file: "in.mp4", reason: "has no video or audio stream")
        let error = try #require(failure(ending(.exited(1)), terminal: .failure(reported)))
        #expect(error.kind == .badInput)
        #expect(error.reason == "has no video or audio stream")
        #expect(error.logTail == ["[h264] error while decoding"])
    }

    @Test func memoryAndVerdictsComeBeforeWhatTheChildSaid() throws {
        let overPeak = try #require(failure(ending(.signaled(SIGABRT), peak: 2 << 30)))
        #expect(overPeak.kind == .overMemory)
        #expect(overPeak.reason == "exceeded the memory limit of 1 GiB at 00:01:12 of 00:03:40")
        let cancelled = try #require(failure(ending(.signaled(SIGTERM)), verdict: .cancelled))
        #expect(cancelled.kind == .cancelled)
        let silent = try #require(failure(ending(.signaled(SIGKILL)), verdict: .silent))
        #expect(silent.kind == .stalled)
        #expect(silent.reason == "stalled: no answer for 30 s")
    }

    @Test func aResultAndACleanExitIsTheOutcome() throws {
        let checked = try ending(.exited(0)).outcome(terminal: .checked, verdict: nil)
        #expect(checked.type == .checked)
    }

    @Test func sizesReadAsPeopleWriteThem() {
        #expect(ChildEnding.bytes(3 << 30) == "3 GiB")
        #expect(ChildEnding.bytes(3 << 29) == "1.5 GiB")
        #expect(ChildEnding.bytes(512 << 20) == "512 MiB")
    }

    @Test func linesSplitAcrossReadsComeOutWhole() {
        var buffer = LineBuffer()
        #expect(buffer.append(Data("{\"type\":".utf8)) == [])
        #expect(buffer.append(Data("\"checked\"}\nnext".utf8)) == ["{\"type\":\"checked\"}"])
        #expect(buffer.append(Data(" line\n\n".utf8)) == ["next line", ""])
    }

    @Test func requestsAndMessagesRoundTrip() throws {
        let request = WorkerRequest(check: URL(fileURLWithPath: "/in.mp4"), inputLimits: .none,
                                    processLimits: ProcessLimits(memory: 1 << 30))
        #expect(try JSONDecoder().decode(WorkerRequest.self, from: JSONEncoder().encode(request)) == request)
        var options = TranscodeOptions(pipeline: PipelineCatalog.builtIn("small")!, outputDirectory: URL(fileURLWithPath: "/out"),
                                       renditions: [RenditionRequest(resolution: 240, fps: 25), RenditionRequest(resolution: 0, fps: 0)],
                                       stillImage: URL(fileURLWithPath: "/preview.jpg"), separateAudio: URL(fileURLWithPath: "/audio.m4a"))
        options.expectedSource = SourceIdentity(size: 10, modified: 1_700_000_000_000_000_000, inode: 42, device: 7)
        let transcode = WorkerRequest(transcode: URL(fileURLWithPath: "/in.mp4"), options: options, processLimits: ProcessLimits(memory: 1 << 30))
        let decoded = try JSONDecoder().decode(WorkerRequest.self, from: JSONEncoder().encode(transcode))
        #expect(decoded == transcode && decoded.version == 5)
        #expect(decoded.transcodeOptions?.expectedSource == options.expectedSource)
        // What a runner's job asks for reaches the child's engine.
        #expect(decoded.transcodeOptions?.renditions == options.renditions)
        #expect(decoded.transcodeOptions?.stillImage?.path == "/preview.jpg")
        #expect(decoded.transcodeOptions?.separateAudio?.path == "/audio.m4a")
        let message = WorkerMessage.progress(TranscodeProgress(stage: .encoding, fraction: 0.5, duration: 10))
        #expect(try JSONDecoder().decode(WorkerMessage.self, from: JSONEncoder().encode(message)) == message)
        // A studio edit's tasks and limits reach the child as they were asked.
        let edit = WorkerRequest(edit: StudioEditOptions(input: URL(fileURLWithPath: "/in.mp4"), separateAudio: nil,
                                                         tasks: [.cut(start: 1, end: nil), .removeSegments([2...3])],
                                                         output: URL(fileURLWithPath: "/out.mp4"), limits: InputLimits(maxDuration: 60, maxPixels: 0)),
                                 processLimits: ProcessLimits(memory: 1 << 30))
        let decodedEdit = try JSONDecoder().decode(WorkerRequest.self, from: JSONEncoder().encode(edit))
        #expect(decodedEdit == edit && decodedEdit.studio?.tasks.count == 2 && decodedEdit.inputLimits.maxDuration == 60)
    }
}
