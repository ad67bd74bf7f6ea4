import Foundation
import Transcoding

/// What the end of a job's child process means for the job: its result, or an error whose
/// reason a person can act on ("the transcoder crashed (signal 11, SIGSEGV) at 00:01:12 of
/// 00:03:40"), with the child's last log lines.
struct ChildEnding {
    /// Why the supervisor ended the child, if it did.
    enum Verdict: Equatable {
        case cancelled
        case overMemory
        case silent
    }

    var file: String
    var exit: ChildExit
    var peakBytes: Int64
    var memoryLimit: Int64
    /// " at 00:01:12 of 00:03:40", or "" before any progress.
    var position: String
    var logTail: [String]
    var silenceLimit: TimeInterval?

    func outcome(terminal: WorkerMessage?, verdict: Verdict?) throws(TranscodeError) -> WorkerMessage {
        if let terminal, terminal.type != .failure, exit == .exited(0) { return terminal }
        if verdict == .overMemory || (memoryLimit > 0 && peakBytes > memoryLimit) {
            throw failure(.overMemory, "exceeded the memory limit of \(Self.bytes(memoryLimit))\(position)")
        }
        switch verdict {
        case .cancelled: throw failure(.cancelled, "cancelled\(position)")
        case .silent: throw failure(.stalled, "stalled: no answer for \(Int(silenceLimit ?? 0)) s")
        case .overMemory, nil: break
        }
        if var reported = terminal?.failure {
            if reported.logTail.isEmpty { reported.logTail = logTail }
            throw reported
        }
        switch exit {
        case .signaled(SIGKILL):
            throw failure(.crashed, "the transcoder was killed (\(ChildExit.describe(signal: SIGKILL)), as the kernel's "
                          + "out-of-memory killer does)\(position)")
        case .signaled(let signal):
            throw failure(.crashed, "the transcoder crashed (\(ChildExit.describe(signal: signal)))\(position)")
        case .exited(let code):
            throw failure(.crashed, "the transcoder exited with status \(code) without a result\(position)")
        }
    }

    private func failure(_ kind: TranscodeError.Kind, _ reason: String) -> TranscodeError {
        TranscodeError(kind, file: file, reason: reason, logTail: logTail)
    }

    /// "3 GiB", "1.5 GiB", "512 MiB".
    static func bytes(_ count: Int64) -> String {
        let gibibyte: Int64 = 1 << 30
        if count % gibibyte == 0 { return "\(count / gibibyte) GiB" }
        if count >= gibibyte { return String(format: "%.1f GiB", Double(count) / Double(gibibyte)) }
        return "\(count >> 20) MiB"
    }
}
