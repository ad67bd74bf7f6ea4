import Foundation
import LibAV

/// A failure explained in one line for the person who dropped the file, with the file named.
public struct TranscodeError: Error, CustomStringConvertible, Sendable, Codable, Equatable {
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
        /// The output disk is full (`ENOSPC`): the job waits for space, it is not at fault.
        case noSpace
        /// The process running the job died (a signal, or an exit without a result).
        case crashed
        /// The job went over its memory limit and was stopped.
        case overMemory
        /// The job made no progress for too long and was stopped.
        case stalled
        /// The source changed while it was transcoded (its writer went on): the package was not
        /// published, and the new content is to be transcoded, with no failure charged.
        case sourceChanged
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
    public var isRetryable: Bool { [.internalFailure, .output, .noSpace, .crashed, .stalled].contains(kind) }

    /// An output failure, told apart from a full disk (Foundation reports `ENOSPC` as
    /// `fileWriteOutOfSpace` or as a POSIX error, possibly underlying another).
    static func writing(_ error: Error, file: String, reason: String, logTail: [String] = []) -> TranscodeError {
        TranscodeError(isNoSpace(error) ? .noSpace : .output, file: file, reason: reason, logTail: logTail)
    }

    private static func isNoSpace(_ error: Error) -> Bool {
        let error = error as NSError
        if error.domain == NSCocoaErrorDomain && error.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        if error.domain == NSPOSIXErrorDomain && error.code == Int(ENOSPC) { return true }
        return (error.userInfo[NSUnderlyingErrorKey] as? Error).map(isNoSpace) ?? false
    }

    static func wrapping(_ error: FFmpegError, file: String, during step: String) -> TranscodeError {
        let kind: Kind = if error.isCancelled { .cancelled }
            else if error.isNoSpace { .noSpace }
            else if error.isInvalidData || error.isDecoderNotFound { .badInput }
            else { .internalFailure }
        return TranscodeError(kind, file: file, reason: "\(step): \(error)", logTail: FFmpegLog.recentLines())
    }
}
