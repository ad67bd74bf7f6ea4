internal import CFFmpeg

/// Resizes and converts pictures to yuv420p with libswscale (bicubic, the ffmpeg CLI's default).
///
/// The output frame is reused: its buffers are written again only once the previous consumer
/// has let go (`av_frame_make_writable` copies only when they are still shared), so scaling
/// allocates nothing per frame.
public final class Scaler {
    private var context: OpaquePointer?
    private let output: Frame
    public let sourceWidth: Int
    public let sourceHeight: Int
    private let sourceFormat: AVPixelFormat

    /// A scaler for frames shaped like `example` into `width`x`height` yuv420p.
    public init(like example: borrowing Frame, width: Int, height: Int) throws(FFmpegError) {
        sourceWidth = example.width
        sourceHeight = example.height
        sourceFormat = example.pixelFormat
        guard let context = sws_getContext(Int32(sourceWidth), Int32(sourceHeight), sourceFormat,
                                           Int32(width), Int32(height), AV_PIX_FMT_YUV420P,
                                           Int32(SWS_BICUBIC), nil, nil, nil) else {
            throw .invalidArgument("sws_getContext \(sourceWidth)x\(sourceHeight) -> \(width)x\(height)")
        }
        self.context = context
        output = try Frame.video(width: Int32(width), height: Int32(height), format: AV_PIX_FMT_YUV420P)
    }

    deinit {
        sws_freeContext(context)
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
        try output.makeWritable()
        try check(sws_scale_frame(context, output.pointer, frame.pointer), "sws_scale_frame")
        let sar = Rational(frame.pointer.pointee.sample_aspect_ratio)
        output.pointer.pointee.sample_aspect_ratio = sar.numerator == 0 ? sar.av
            : Self.sampleAspectRatio(sar, from: (sourceWidth, sourceHeight), to: (output.width, output.height)).av
        return try output.ref()
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
