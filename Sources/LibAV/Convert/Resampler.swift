internal import CFFmpeg

/// Converts decoded audio to the encoder's format, rate and channel layout with libswresample
/// (downmixing 5.1 to stereo, upmixing mono).
public final class Resampler {
    private var context: OpaquePointer?
    private var target: AudioFormat

    /// A resampler from what `decoder` produces to what `encoder` takes.
    public init(from decoder: Decoder, to encoder: Encoder) throws(FFmpegError) {
        var source = decoder.audioFormat
        target = encoder.audioFormat
        if source.layout.order == AV_CHANNEL_ORDER_UNSPEC {
            // Unknown layouts (common in WAV and some MKV) get the default for their channel count.
            let count = source.layout.nb_channels
            av_channel_layout_default(&source.layout, count)
        }
        var created: OpaquePointer?
        try check(swr_alloc_set_opts2(&created, &target.layout, target.sampleFormat, target.sampleRate,
                                      &source.layout, source.sampleFormat, source.sampleRate, 0, nil),
                  "swr_alloc_set_opts2")
        context = created
        try check(swr_init(context), "swr_init")
    }

    deinit {
        swr_free(&context)
    }

    /// Converts one frame (nil flushes what the resampler still holds).
    /// The corresponding C function is `swr_convert_frame`.
    public func convert(_ frame: borrowing Frame) throws(FFmpegError) -> Frame {
        let output = try makeOutput()
        try check(swr_convert_frame(context, output.pointer, frame.pointer), "swr_convert_frame")
        return output
    }

    /// The samples still buffered inside the resampler.
    public func flush() throws(FFmpegError) -> Frame {
        let output = try makeOutput()
        try check(swr_convert_frame(context, output.pointer, nil), "swr_convert_frame")
        return output
    }

    private func makeOutput() throws(FFmpegError) -> Frame {
        let output = try Frame()
        output.pointer.pointee.sample_rate = target.sampleRate
        output.pointer.pointee.format = target.sampleFormat.rawValue
        try check(av_channel_layout_copy(&output.pointer.pointee.ch_layout, &target.layout), "av_channel_layout_copy")
        return output
    }
}
