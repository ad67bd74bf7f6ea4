import Foundation
import Transcoding

/// What the worker pool calls to transcode one file. The service uses ``EngineRunner``; tests
/// swap in runners that fail, stall or count calls.
public protocol TranscodeRunner: Sendable {
    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult
}

/// Runs Sluice's engine on a thread of its own: it blocks in FFmpeg calls and must not hold a
/// thread of Swift's cooperative pool. Task cancellation becomes engine cancellation.
public struct EngineRunner: TranscodeRunner {
    public init() {}

    public func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                          progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TranscodeResult, Error>) in
                let thread = Thread {
                    do {
                        let result = try Transcoder.transcode(file: file, options: options, cancellation: cancellation,
                                                              progress: progress)
                        continuation.resume(returning: result)
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "sluice-job"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
