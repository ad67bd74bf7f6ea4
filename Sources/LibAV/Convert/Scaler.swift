internal import CFFmpeg
internal import CSupport

/// Resizes and converts pictures to yuv420p with libswscale (bicubic, the ffmpeg CLI's default).
///
/// By default the output frame is reused: its buffers are written again only once the previous
/// consumer has let go (`av_frame_make_writable` copies only when they are still shared), so
/// scaling allocates nothing per frame. A scaler whose pictures are kept while the next is made
/// (``reusesOutput`` false) writes each into a buffer of its own pool instead, rather than have
/// `av_frame_make_writable` copy the old picture only to overwrite it; the pool hands back the
/// buffers of pictures let go (fresh allocations every frame cost ~40 MB of RSS that the
/// allocator kept, and page faults).
public final class Scaler {
    private var context: OpaquePointer?
    private let output: Frame
    /// Buffers for the pictures when the output is not reused.
    private var pool: OpaquePointer?
    public let sourceWidth: Int
    public let sourceHeight: Int
    private let sourceFormat: AVPixelFormat

    /// A scaler for frames shaped like `example` into `width`x`height` yuv420p.
    public init(like example: borrowing Frame, width: Int, height: Int, reusesOutput: Bool = true) throws(FFmpegError) {
        sourceWidth = example.width
        sourceHeight = example.height
        sourceFormat = example.pixelFormat
        context = try Self.makeContext(from: (sourceWidth, sourceHeight, sourceFormat), to: (width, height))
        output = try Frame.video(width: Int32(width), height: Int32(height), format: AV_PIX_FMT_YUV420P)
        if !reusesOutput {
            let size = cffmpeg_pooled_picture_size(Int32(width), Int32(height), AV_PIX_FMT_YUV420P.rawValue)
            guard size > 0, let pool = av_buffer_pool_init(size_t(size), nil) else {
                sws_freeContext(context)
                throw .outOfMemory("av_buffer_pool_init")
            }
            self.pool = pool
        }
    }

    deinit {
        sws_freeContext(context)
        // Pictures still out keep their buffers; the pool goes once the last one is returned.
        var pool = pool
        av_buffer_pool_uninit(&pool)
    }

    /// A bicubic context to yuv420p (limited range). A deprecated yuvj format is given as the
    /// plain one with `src_range` full, set before the context is initialised (as libavfilter's
    /// scale does), so swscale converts the range without its "deprecated pixel format" warning.
    private static func makeContext(from source: (width: Int, height: Int, format: AVPixelFormat),
                                    to target: (width: Int, height: Int)) throws(FFmpegError) -> OpaquePointer {
        guard let context = sws_alloc_context() else { throw .outOfMemory("sws_alloc_context") }
        let plain = Frame.plainFormat(of: source.format)
        let options: [(String, Int64)] = [
            ("srcw", Int64(source.width)), ("srch", Int64(source.height)), ("src_format", Int64((plain ?? source.format).rawValue)),
            ("dstw", Int64(target.width)), ("dsth", Int64(target.height)), ("dst_format", Int64(AV_PIX_FMT_YUV420P.rawValue)),
            ("sws_flags", Int64(SWS_BICUBIC)), ("src_range", plain == nil ? 0 : 1), ("dst_range", 0),
        ]
        for (name, value) in options where av_opt_set_int(UnsafeMutableRawPointer(context), name, value, 0) < 0 {
            sws_freeContext(context)
            throw .invalidArgument("swscale option \(name)")
        }
        guard sws_init_context(context, nil, nil) >= 0 else {
            sws_freeContext(context)
            throw .invalidArgument("sws_init_context \(source.width)x\(source.height) -> \(target.width)x\(target.height)")
        }
        return context
    }

    /// True when `frame` already has the target size and pixel format, so it can go to the
    /// encoder as it is.
    public static func isPassThrough(_ frame: borrowing Frame, width: Int, height: Int) -> Bool {
        frame.width == width && frame.height == height && frame.pixelFormat == AV_PIX_FMT_YUV420P
    }

    /// Whether this scaler was made for frames of `frame`'s shape.
    public func accepts(_ frame: borrowing Frame) -> Bool {
        frame.width == sourceWidth && frame.height == sourceHeight && frame.pixelFormat == sourceFormat
    }

    /// Scales `frame` and returns a reference to the result. The corresponding C function is `sws_scale_frame`.
    public func scale(_ frame: borrowing Frame) throws(FFmpegError) -> Frame {
        if let pool {
            let fresh = try Frame()
            try check(cffmpeg_pooled_picture(fresh.pointer, pool, Int32(output.width), Int32(output.height),
                                             AV_PIX_FMT_YUV420P.rawValue), "av_buffer_pool_get")
            try scale(frame, into: fresh)
            return fresh
        }
        try output.makeWritable()
        try scale(frame, into: output)
        return try output.ref()
    }

    private func scale(_ frame: borrowing Frame, into target: borrowing Frame) throws(FFmpegError) {
        if Frame.plainFormat(of: frame.pixelFormat) != nil {
            let relabelled = try frame.ref()
            relabelled.relabelDeprecatedJPEGFormat()
            try check(sws_scale_frame(context, target.pointer, relabelled.pointer), "sws_scale_frame")
        } else {
            try check(sws_scale_frame(context, target.pointer, frame.pointer), "sws_scale_frame")
        }
        let sar = Rational(frame.pointer.pointee.sample_aspect_ratio)
        target.pointer.pointee.sample_aspect_ratio = sar.numerator == 0 ? sar.av
            : Self.sampleAspectRatio(sar, from: (sourceWidth, sourceHeight), to: (target.width, target.height)).av
    }

    /// The pixel shape after scaling `from` one size `to` another, so the picture displays with
    /// exactly the shape it had: even-rounded sizes change the ratio slightly, and keeping the
    /// source's pixel shape would show a 910-pixel-wide picture 911 wide. This is what ffmpeg's
    /// scale filter does (PeerTube's chain): `sar x (outH x inW) / (outW x inH)`, reduced.
    public static func sampleAspectRatio(_ sar: Rational, from input: (width: Int, height: Int),
                                         to output: (width: Int, height: Int)) -> Rational {
        let change = av_make_q(Int32(output.height * input.width), Int32(output.width * input.height))
        return Rational(av_mul_q(change, sar.av))
    }
}
