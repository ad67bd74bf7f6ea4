import Foundation
internal import CSupport
import LibAV
import Transcoding

/// The child side of ``IsolatedRunner``: `sluice job-worker` reads one ``WorkerRequest`` on
/// stdin, does it, and writes ``WorkerMessage`` lines on stdout; FFmpeg's warnings go to stderr
/// as they come, so the parent has the lines that preceded a crash.
public enum JobWorker {
    /// The environment variable that names the supervising process.
    static let parentVariable = "SLUICE_PARENT_PID"

    /// Runs the request on stdin; returns the exit status (0 when a result or check was sent).
    /// `expectedParent` is the process that must supervise this one (by default the one named in
    /// the environment, for a child started directly by a service).
    public static func run(expectedParent: Int32? = nil) -> Int32 {
        let parent = expectedParent ?? ProcessInfo.processInfo.environment[parentVariable].flatMap(Int32.init)
        guard dieWithParent(expected: parent) else { return 70 }
        let output = MessageOutput()
        guard let line = readLine(), let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line.utf8)),
              request.version == WorkerRequest.currentVersion else {
            output.send(.failure(TranscodeError(.internalFailure, file: "", reason: "unreadable worker request")))
            return 64
        }
        apply(request.processLimits)
        FFmpegLog.capture(echo: true)
        let cancellation = CancellationFlag()
        let interrupts = InterruptHandler { cancellation.cancel() }
        defer { interrupts.restore() }
        do throws(TranscodeError) {
            switch request.task {
            case .transcode:
                guard let options = request.transcodeOptions else {
                    throw TranscodeError(.internalFailure, file: request.file, reason: "a transcode request needs a pipeline and an output")
                }
                let result = try Transcoder.transcode(file: URL(fileURLWithPath: request.file), options: options,
                                                      cancellation: cancellation) { output.send(.progress($0)) }
                output.send(.result(result))
            case .edit:
                guard let studio = request.studio else {
                    throw TranscodeError(.internalFailure, file: request.file, reason: "an edit request needs its tasks")
                }
                output.send(.edited(try StudioEditor.edit(studio, cancellation: cancellation) { output.send(.progress($0)) }))
            case .live:
                guard let live = request.live else {
                    throw TranscodeError(.internalFailure, file: request.file, reason: "a live request needs its stream")
                }
                try LiveTranscoder.run(live, cancellation: cancellation) { output.send(.progress($0)) }
                output.send(.liveEnded)
            case .check:
                let report = try MediaProbe.probe(URL(fileURLWithPath: request.file)).report
                try MediaProbe.validate(report)
                try request.inputLimits.check(report)
                output.send(.checked)
            }
            return 0
        } catch {
            output.send(.failure(error))
            return 1
        }
    }

    /// Dies with the parent (SIGKILL when the supervising thread ends); false when the parent
    /// is already gone (`getppid()` is no longer `expected`), since the signal would then never come.
    static func dieWithParent(expected: pid_t?) -> Bool {
        _ = cffmpeg_die_with_parent(SIGKILL)
        guard let expected else { return true }
        return getppid() == expected
    }

    private static func apply(_ limits: ProcessLimits) {
        if limits.niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, limits.niceness) }
        if let ceiling = limits.addressSpaceCeiling {
            var limit = rlimit(rlim_cur: rlim_t(ceiling), rlim_max: rlim_t(ceiling))
            _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
        }
    }
}
