internal import CFFmpeg

/// An opened encoder. Output is always meant for MP4, so headers go in extradata
/// (`AV_CODEC_FLAG_GLOBAL_HEADER`, set before `avcodec_open2` as it must be).
public final class Encoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    public private(set) var isDrained = false

    private init(codecName: String, configure: (UnsafeMutablePointer<AVCodecContext>) -> Void,
                 options: [String: String]) throws(FFmpegError) {
        guard let codec = avcodec_find_encoder_by_name(codecName) else {
            throw FFmpegError(code: cffmpeg_AVERROR(ENOSYS), operation: "encoder \(codecName) is not available in this FFmpeg")
        }
        guard let context = avcodec_alloc_context3(codec) else { throw .outOfMemory("avcodec_alloc_context3") }
        self.context = context
        configure(context)
        context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        var dictionary: OpaquePointer?
        for (key, value) in options.sorted(by: { $0.key < $1.key }) { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try check(avcodec_open2(context, codec, &dictionary), "cannot open encoder \(codecName)")
        if let unused = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw FFmpegError(code: cffmpeg_AVERROR(EINVAL),
                              operation: "encoder \(codecName) has no option '\(String(cString: unused.pointee.key))'")
        }
    }

    deinit {
        avcodec_free_context(&context)
    }

    var codec: UnsafeMutablePointer<AVCodecContext> { context.unsafelyUnwrapped }

    /// A video encoder for yuv420p frames at a constant frame rate (time base 1/fps).
    public static func video(_ settings: VideoEncoderSettings) throws(FFmpegError) -> Encoder {
        try Encoder(codecName: settings.codecName, configure: { context in
            context.pointee.width = Int32(settings.width)
            context.pointee.height = Int32(settings.height)
            context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            context.pointee.time_base = AVRational(num: 1, den: Int32(settings.frameRate))
            context.pointee.framerate = AVRational(num: Int32(settings.frameRate), den: 1)
            context.pointee.gop_size = Int32(settings.gopSize)
            context.pointee.max_b_frames = Int32(settings.maxBFrames)
            context.pointee.rc_max_rate = Int64(settings.maxRate)
            context.pointee.rc_buffer_size = Int32(clamping: settings.bufferSize)
            context.pointee.thread_count = Int32(settings.threads)
            if settings.sliceThreads { context.pointee.thread_type = FF_THREAD_SLICE }
            if let sar = settings.sampleAspectRatio { context.pointee.sample_aspect_ratio = sar.av }
            if let name = settings.colorPrimaries, case let value = av_color_primaries_from_name(name), value >= 0 {
                context.pointee.color_primaries = AVColorPrimaries(rawValue: UInt32(value))
            }
            if let name = settings.colorTransfer, case let value = av_color_transfer_from_name(name), value >= 0 {
                context.pointee.color_trc = AVColorTransferCharacteristic(rawValue: UInt32(value))
            }
            if let name = settings.colorSpace, case let value = av_color_space_from_name(name), value >= 0 {
                context.pointee.colorspace = AVColorSpace(rawValue: UInt32(value))
            }
            if let name = settings.colorRange, case let value = av_color_range_from_name(name), value >= 0 {
                context.pointee.color_range = AVColorRange(rawValue: UInt32(value))
            }
        }, options: settings.options)
    }

    /// An audio encoder taking planar float stereo (what FFmpeg's AAC encoder accepts).
    public static func audio(_ settings: AudioEncoderSettings) throws(FFmpegError) -> Encoder {
        try Encoder(codecName: settings.codecName, configure: { context in
            context.pointee.sample_rate = Int32(settings.sampleRate)
            context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
            av_channel_layout_default(&context.pointee.ch_layout, Int32(settings.channels))
            context.pointee.bit_rate = Int64(settings.bitRate)
            context.pointee.time_base = AVRational(num: 1, den: Int32(settings.sampleRate))
        }, options: [:])
    }

    /// The time base of packet timestamps coming out.
    public var timeBase: Rational { Rational(codec.pointee.time_base) }

    /// Samples per audio frame the encoder wants (1024 for AAC); 0 when any size is fine.
    public var frameSize: Int { Int(codec.pointee.frame_size) }

    /// Codec-specific header bytes (for H.264 with global headers: SPS and PPS).
    public var extradata: [UInt8] {
        guard let data = codec.pointee.extradata, codec.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(codec.pointee.extradata_size)))
    }

    var audioFormat: AudioFormat {
        AudioFormat(sampleRate: codec.pointee.sample_rate, layout: codec.pointee.ch_layout,
                    sampleFormat: codec.pointee.sample_fmt)
    }

    /// Sends one frame; the caller keeps ownership. The corresponding C function is `avcodec_send_frame`.
    public func send(_ frame: borrowing Frame) throws(FFmpegError) -> SendResult {
        try SendResult(sending: avcodec_send_frame(codec, frame.pointer), "encode")
    }

    /// Enters draining mode (a NULL frame); packets keep coming from ``receive()`` until it returns nil.
    public func sendEndOfStream() throws(FFmpegError) {
        _ = try SendResult(sending: avcodec_send_frame(codec, nil), "encoder flush")
    }

    /// The next packet, or nil when the encoder needs more input or is drained (see ``isDrained``).
    /// The corresponding C function is `avcodec_receive_packet`.
    public func receive() throws(FFmpegError) -> Packet? {
        let packet = try Packet()
        guard try received(avcodec_receive_packet(codec, packet.pointer), drained: &isDrained, "encode") else { return nil }
        return .some(packet)
    }
}
