internal import CFFmpeg

/// A decoder for one input stream.
///
/// The packet time base is set from the stream (`pkt_timebase`, "decoding: set by user"), so
/// frames carry usable `best_effort_timestamp`s in that base. Call ``sendEndOfStream()`` once
/// and keep receiving to drain the frames a decoder holds back (B-frames, frame threads);
/// FFmpeg's transcode.c forgets this.
public final class Decoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    /// The time base of the frames' timestamps (the stream's).
    public let timeBase: Rational
    public private(set) var isDrained = false

    init(parameters: UnsafeMutablePointer<AVCodecParameters>, timeBase: AVRational, frameRate: AVRational,
         threads: Int) throws(FFmpegError) {
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw FFmpegError(code: cffmpeg_AVERROR_DECODER_NOT_FOUND,
                              operation: "no decoder for \(String(cString: avcodec_get_name(parameters.pointee.codec_id)))")
        }
        guard let context = avcodec_alloc_context3(codec) else { throw .outOfMemory("avcodec_alloc_context3") }
        self.context = context
        self.timeBase = Rational(timeBase)
        try check(avcodec_parameters_to_context(context, parameters), "avcodec_parameters_to_context")
        context.pointee.pkt_timebase = timeBase
        context.pointee.framerate = frameRate
        context.pointee.thread_count = Int32(threads)
        try check(avcodec_open2(context, codec, nil), "cannot open decoder \(String(cString: codec.pointee.name))")
    }

    deinit {
        avcodec_free_context(&context)
    }

    private var codec: UnsafeMutablePointer<AVCodecContext> { context.unsafelyUnwrapped }

    /// Sends one packet. The corresponding C function is `avcodec_send_packet`.
    /// - Throws: `FFmpegError` for corrupt data (`AVERROR_INVALIDDATA`) and other failures.
    public func send(_ packet: borrowing Packet) throws(FFmpegError) -> SendResult {
        try SendResult(sending: avcodec_send_packet(codec, packet.pointer), "decode")
    }

    /// Enters draining mode (a NULL packet). Frames keep coming from ``receive()`` until it returns nil.
    /// A stream cut mid-packet can make the flush report invalid data; that is the input's
    /// damage, already measured by what was decoded, so it is not thrown.
    public func sendEndOfStream() throws(FFmpegError) {
        let result = avcodec_send_packet(codec, nil)
        if result == cffmpeg_AVERROR_INVALIDDATA { return }
        _ = try SendResult(sending: result, "decoder flush")
    }

    /// The next decoded frame, or nil when the decoder needs more input (or is drained:
    /// see ``isDrained``). The corresponding C function is `avcodec_receive_frame`.
    public func receive() throws(FFmpegError) -> Frame? {
        let frame = try Frame()
        guard try received(avcodec_receive_frame(codec, frame.pointer), drained: &isDrained, "decode") else { return nil }
        return .some(frame)
    }

    /// Sample rate, channel layout and sample format of the decoded audio.
    var audioFormat: AudioFormat {
        AudioFormat(sampleRate: codec.pointee.sample_rate, layout: codec.pointee.ch_layout,
                    sampleFormat: codec.pointee.sample_fmt)
    }
}

/// The shape of decoded audio, for setting up a resampler.
struct AudioFormat {
    var sampleRate: Int32
    var layout: AVChannelLayout
    var sampleFormat: AVSampleFormat
}
