internal import CFFmpeg

/// The one error type of the wrapper: what failed and the `AVERROR` code FFmpeg returned.
///
/// `EAGAIN` and end-of-stream are not errors in the send/receive calls; those return
/// ``SendResult`` or `nil` instead. Everything else surfaces here with its C code intact.
public struct FFmpegError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw `AVERROR` value (negative).
    public let code: Int32
    /// The call or step that failed, e.g. `"avformat_open_input"`.
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// End of file or stream. The corresponding C value is `AVERROR_EOF`.
    public var isEndOfFile: Bool { code == cffmpeg_AVERROR_EOF }
    /// The data is malformed. The corresponding C value is `AVERROR_INVALIDDATA`.
    public var isInvalidData: Bool { code == cffmpeg_AVERROR_INVALIDDATA }
    /// A wrapper-made error for a missing decoder. The corresponding C value is `AVERROR_DECODER_NOT_FOUND`.
    public var isDecoderNotFound: Bool { code == cffmpeg_AVERROR_DECODER_NOT_FOUND }
    /// The operation was cancelled by us. The corresponding C value is `AVERROR_EXIT`.
    public var isCancelled: Bool { code == cffmpeg_AVERROR_EXIT }
    /// The disk is full: a passing condition of the machine, never a fault of the input.
    /// The corresponding C value is `AVERROR(ENOSPC)`.
    public var isNoSpace: Bool { code == cffmpeg_AVERROR(ENOSPC) }
    /// A read waited longer than its `rw_timeout` (a live source gone silent).
    /// The corresponding C value is `AVERROR(ETIMEDOUT)`.
    public var isTimedOut: Bool { code == cffmpeg_AVERROR(ETIMEDOUT) }

    static func cancelled(_ operation: String) -> FFmpegError {
        FFmpegError(code: cffmpeg_AVERROR_EXIT, operation: operation)
    }

    static func outOfMemory(_ operation: String) -> FFmpegError {
        FFmpegError(code: cffmpeg_AVERROR(ENOMEM), operation: operation)
    }

    static func invalidArgument(_ operation: String) -> FFmpegError {
        FFmpegError(code: cffmpeg_AVERROR(EINVAL), operation: operation)
    }

    /// FFmpeg's own wording for `code`, from `av_strerror` into a buffer we own (no static buffer).
    public var message: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(AV_ERROR_MAX_STRING_SIZE)) { buffer in
            guard let base = buffer.baseAddress else { return "error \(code)" }
            if av_strerror(code, base, buffer.count) < 0 { return "error \(code)" }
            return String(cString: base)
        }
    }

    public var description: String { "\(operation): \(message)" }
}

/// Throws `FFmpegError` for a negative return value and hands back non-negative ones.
@inline(__always)
@discardableResult
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(FFmpegError) -> Int32 {
    if result < 0 { throw FFmpegError(code: result, operation: operation()) }
    return result
}

/// Reads a receive call's result (`avcodec_receive_frame`, `avcodec_receive_packet`,
/// `av_buffersink_get_frame`): true when an output was produced; false for `EAGAIN` (needs more
/// input) and for end of stream, which also sets `drained`.
@inline(__always)
func received(_ result: Int32, drained: inout Bool, _ operation: @autoclosure () -> String) throws(FFmpegError) -> Bool {
    if result == cffmpeg_AVERROR(EAGAIN) { return false }
    if result == cffmpeg_AVERROR_EOF { drained = true; return false }
    try check(result, operation())
    return true
}

/// What `avcodec_send_packet`, `avcodec_send_frame` and friends said about the input.
public enum SendResult: Sendable, Equatable {
    /// The input was taken.
    case accepted
    /// `AVERROR(EAGAIN)` on send: output must be received before more input is accepted.
    case mustReceiveFirst
    /// `AVERROR_EOF` on send: the codec is already draining.
    case closed
}

extension SendResult {
    init(sending result: Int32, _ operation: @autoclosure () -> String) throws(FFmpegError) {
        if result == cffmpeg_AVERROR(EAGAIN) { self = .mustReceiveFirst; return }
        if result == cffmpeg_AVERROR_EOF { self = .closed; return }
        try check(result, operation())
        self = .accepted
    }
}

extension FFmpegError {
    /// `AVERROR_INVALIDDATA`, for stages that find the input unusable after decoding it.
    public static var invalidDataCode: Int32 { cffmpeg_AVERROR_INVALIDDATA }
    /// The error a stage throws when it stops because the job was cancelled.
    public static var cancelledByUser: FFmpegError { .cancelled("cancelled") }
}
