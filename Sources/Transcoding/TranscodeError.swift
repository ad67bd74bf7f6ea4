import LibAV

/// A failure explained in one line for the person who dropped the file, with the file named.
public struct TranscodeError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable, Codable {
        /// The input is not usable media (empty, truncated, text, image, no decodable stream...).
        case badInput
        /// Cancelled by the user or the service.
        case cancelled
        /// Our output could not be written or failed its read-back check.
        case output
        /// A pipeline or encoder setting is wrong.
        case configuration
        /// An unexpected libav failure.
        case internalFailure
    }

    public var kind: Kind
    public var file: String
    public var reason: String
    /// The last libav log lines, for the job's failure record.
    public var logTail: [String]

    public init(_ kind: Kind, file: String, reason: String, logTail: [String] = []) {
        self.kind = kind
        self.file = file
        self.reason = reason
        self.logTail = logTail
    }

    public var description: String { "\(file): \(reason)" }

    /// Whether retrying the same file can help (bad input and configuration never will).
    public var isRetryable: Bool { kind == .internalFailure || kind == .output }

    static func wrapping(_ error: FFmpegError, file: String, during step: String) -> TranscodeError {
        let kind: Kind = error.isCancelled ? .cancelled : (error.isInvalidData || error.isDecoderNotFound ? .badInput : .internalFailure)
        return TranscodeError(kind, file: file, reason: "\(step): \(error)", logTail: FFmpegLog.recentLines())
    }
}
