import Foundation
import Transcoding

/// What the job layer calls to transcode one file. The services use ``IsolatedRunner`` (a child
/// process per job); `EngineRunner` runs in process; tests swap in runners that fail, stall or
/// count calls.
public protocol TranscodeRunner: Sendable {
    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult

    /// Throws a `.badInput` ``TranscodeError`` when `file` is not media Sluice can transcode
    /// (or another kind when checking it failed: a crash, a hang).
    func check(file: URL, limits: InputLimits) async throws

    /// Makes a studio job's edit (see ``StudioEditor``).
    func edit(_ options: StudioEditOptions, cancellation: CancellationFlag,
              progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> StudioEditResult

    /// Transcodes a live until its stream ends; each chunk is reported in a progress as it is written.
    func live(_ options: LiveOptions, cancellation: CancellationFlag,
              progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws
}

extension TranscodeRunner {
    /// Runners made for the transcoding tests make no edits.
    public func edit(_ options: StudioEditOptions, cancellation: CancellationFlag,
                     progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> StudioEditResult {
        throw TranscodeError(.configuration, file: options.input, reason: "this runner makes no studio edits")
    }

    /// Runners made for the transcoding tests make no lives.
    public func live(_ options: LiveOptions, cancellation: CancellationFlag,
                     progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws {
        throw TranscodeError(.configuration, file: LiveTranscoder.sourceName, reason: "this runner makes no lives")
    }
}
