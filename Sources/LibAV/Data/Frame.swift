internal import CFFmpeg

/// One decoded picture or block of audio samples, owned by exactly one place at a time.
///
/// Move-only: handing a frame to another stage moves it, and the compiler rejects a use after
/// that. Fan-out to several consumers uses ``ref()``, which shares the pixel buffers by
/// reference count (no pixels are copied). Buffers are read-only once shared.
public struct Frame: ~Copyable, @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVFrame>

    /// An empty frame. The corresponding C function is `av_frame_alloc`.
    public init() throws(FFmpegError) {
        guard let frame = av_frame_alloc() else { throw .outOfMemory("av_frame_alloc") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    /// A new frame sharing this one's buffers. The corresponding C function is `av_frame_ref`.
    public func ref() throws(FFmpegError) -> Frame {
        let copy = try Frame()
        try check(av_frame_ref(copy.pointer, pointer), "av_frame_ref")
        return copy
    }

    /// Allocates fresh video buffers of the given geometry. The corresponding C function is `av_frame_get_buffer`.
    static func video(width: Int32, height: Int32, format: AVPixelFormat) throws(FFmpegError) -> Frame {
        let frame = try Frame()
        frame.pointer.pointee.width = width
        frame.pointer.pointee.height = height
        frame.pointer.pointee.format = format.rawValue
        try check(av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer")
        return frame
    }

    /// Makes the buffers exclusively ours before writing into them (copies only if still shared).
    func makeWritable() throws(FFmpegError) {
        try check(av_frame_make_writable(pointer), "av_frame_make_writable")
    }

    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }
    var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }

    /// Says "yuv420p, full range" instead of the deprecated "yuvj420p" (same bytes), so swscale
    /// has nothing to warn about ("deprecated pixel format used, make sure you did set range
    /// correctly") and converts the range because it is told to. Only this reference changes.
    func relabelDeprecatedJPEGFormat() {
        guard let plain = Self.plainFormat(of: pixelFormat) else { return }
        pointer.pointee.format = plain.rawValue
        pointer.pointee.color_range = AVCOL_RANGE_JPEG
    }

    /// The plain format a deprecated full-range `yuvj` format stands for, nil for any other.
    static func plainFormat(of format: AVPixelFormat) -> AVPixelFormat? {
        switch format {
        case AV_PIX_FMT_YUVJ420P: AV_PIX_FMT_YUV420P
        case AV_PIX_FMT_YUVJ422P: AV_PIX_FMT_YUV422P
        case AV_PIX_FMT_YUVJ444P: AV_PIX_FMT_YUV444P
        case AV_PIX_FMT_YUVJ440P: AV_PIX_FMT_YUV440P
        case AV_PIX_FMT_YUVJ411P: AV_PIX_FMT_YUV411P
        default: nil
        }
    }

    /// Presentation timestamp in the producer's time base.
    public var pts: Int64? {
        get { timestamp(pointer.pointee.pts) }
        nonmutating set { pointer.pointee.pts = newValue ?? cffmpeg_AV_NOPTS_VALUE }
    }

    /// The decoder's best guess of the presentation time (`best_effort_timestamp`).
    public var bestEffortTimestamp: Int64? { timestamp(pointer.pointee.best_effort_timestamp) }

    /// Duration in the producer's time base, 0 when unknown (`pkt_duration` in FFmpeg 5.1).
    public var duration: Int64 { pointer.pointee.pkt_duration }

    /// Asks the encoder for a keyframe (an IDR with x264's closed GOPs) on this frame, or leaves
    /// the choice to it. Clearing matters: decoded frames carry the source's picture type.
    public func setForcedKeyframe(_ forced: Bool) {
        pointer.pointee.pict_type = forced ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE
    }

    /// Sum of the plane sizes, for bounding queues by memory rather than by count.
    public var byteSize: Int {
        var total = 0
        withUnsafePointer(to: pointer.pointee.buf) { buffers in
            buffers.withMemoryRebound(to: UnsafeMutablePointer<AVBufferRef>?.self, capacity: Int(AV_NUM_DATA_POINTERS)) { list in
                for index in 0..<Int(AV_NUM_DATA_POINTERS) {
                    if let buffer = list[index] { total += Int(buffer.pointee.size) }
                }
            }
        }
        return total
    }
}
