import Foundation
import Transcoding

/// Runs Sluice's engine in this process, on a thread of its own: it blocks in FFmpeg calls and
/// must not hold a thread of Swift's cooperative pool. Task cancellation becomes engine
/// cancellation. A crash in FFmpeg takes the process with it: services use ``IsolatedRunner``.
public struct EngineRunner: TranscodeRunner {
    public init() {}

    public func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                          progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        try await DedicatedThread.run(named: "sluice-job", onCancel: { cancellation.cancel() }) {
            try Transcoder.transcode(file: file, options: options, cancellation: cancellation, progress: progress)
        }
    }

    public func edit(_ options: StudioEditOptions, cancellation: CancellationFlag,
                     progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> StudioEditResult {
        try await DedicatedThread.run(named: "sluice-edit", onCancel: { cancellation.cancel() }) {
            try StudioEditor.edit(options, cancellation: cancellation, progress: progress)
        }
    }

    public func live(_ options: LiveOptions, cancellation: CancellationFlag,
                     progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws {
        try await DedicatedThread.run(named: "sluice-live", onCancel: { cancellation.cancel() }) {
            try LiveTranscoder.run(options, cancellation: cancellation, report: progress)
        }
    }

    public func check(file: URL, limits: InputLimits) async throws {
        try await DedicatedThread.run(named: "sluice-probe", onCancel: {}) {
            let report = try MediaProbe.probe(file).report
            try MediaProbe.validate(report)
            try limits.check(report)
        }
    }
}
