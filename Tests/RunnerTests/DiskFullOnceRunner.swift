import Foundation
import Jobs
import Transcoding

/// A job runner whose first transcode finds the disk full, as a machine whose disk filled up
/// would; later ones run the engine.
final class DiskFullOnceRunner: TranscodeRunner, @unchecked Sendable {
    private let engine = EngineRunner()
    private let calls = LockedValue(0)

    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        let call = calls.update { count -> Int in
            count += 1
            return count
        }
        if call == 1 { throw TranscodeError(.noSpace, file: file.path, reason: "no space left on the output disk") }
        return try await engine.transcode(file: file, options: options, cancellation: cancellation, progress: progress)
    }

    func check(file: URL, limits: InputLimits) async throws {
        try await engine.check(file: file, limits: limits)
    }
}
