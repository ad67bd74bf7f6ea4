import Transcoding

/// One line a job's child process writes on stdout: progress as it goes, then exactly one of a
/// result, a check passed, or a failure. See docs/worker-protocol.md.
public struct WorkerMessage: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case progress, result, checked, failure
    }

    public var type: Kind
    public var progress: TranscodeProgress?
    public var result: TranscodeResult?
    /// A studio edit's result.
    public var edited: StudioEditResult?
    /// A structured error: its kind decides retry or quarantine, its reason is shown to people.
    public var failure: TranscodeError?

    public static func progress(_ progress: TranscodeProgress) -> WorkerMessage {
        WorkerMessage(type: .progress, progress: progress)
    }

    public static func result(_ result: TranscodeResult) -> WorkerMessage {
        WorkerMessage(type: .result, result: result)
    }

    public static func edited(_ result: StudioEditResult) -> WorkerMessage {
        WorkerMessage(type: .result, edited: result)
    }

    public static let checked = WorkerMessage(type: .checked)

    /// A live whose stream ended, every chunk reported.
    public static let liveEnded = WorkerMessage(type: .result)

    public static func failure(_ error: TranscodeError) -> WorkerMessage {
        WorkerMessage(type: .failure, failure: error)
    }
}
