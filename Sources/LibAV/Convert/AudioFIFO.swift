internal import CFFmpeg

/// Re-chunks audio into the fixed frame size an encoder such as AAC requires (1024 samples),
/// numbering frames by a running sample count. The corresponding C type is `AVAudioFifo`.
public final class AudioFIFO {
    private var fifo: OpaquePointer?
    private var format: AudioFormat
    /// Presentation time of the next frame read, in samples.
    public private(set) var nextPTS: Int64

    public init(for encoder: Encoder, startPTS: Int64 = 0) throws(FFmpegError) {
        format = encoder.audioFormat
        nextPTS = startPTS
        guard let fifo = av_audio_fifo_alloc(format.sampleFormat, format.layout.nb_channels, 4096) else {
            throw .outOfMemory("av_audio_fifo_alloc")
        }
        self.fifo = fifo
    }

    deinit {
        av_audio_fifo_free(fifo)
    }

    public var count: Int { Int(av_audio_fifo_size(fifo)) }

    /// Appends a frame's samples, skipping the first `skip` of them (to trim audio before the start).
    public func write(_ frame: borrowing Frame, skip: Int = 0) throws(FFmpegError) {
        let total = frame.sampleCount
        guard skip < total else { return }
        let bytesPerSample = Int(av_get_bytes_per_sample(format.sampleFormat))
        let planes = av_sample_fmt_is_planar(format.sampleFormat) != 0 ? Int(format.layout.nb_channels) : 1
        let stride = planes == 1 ? bytesPerSample * Int(format.layout.nb_channels) : bytesPerSample
        guard let data = frame.pointer.pointee.extended_data else { return }
        var pointers = (0..<planes).map { plane -> UnsafeMutableRawPointer? in
            data[plane].map { UnsafeMutableRawPointer($0 + skip * stride) }
        }
        let written = pointers.withUnsafeMutableBufferPointer { buffer in
            av_audio_fifo_write(fifo, buffer.baseAddress, Int32(total - skip))
        }
        try check(written, "av_audio_fifo_write")
    }

    /// Takes up to `count` samples as a frame stamped with the running pts, or nil if empty.
    public func read(_ count: Int) throws(FFmpegError) -> Frame? {
        let available = min(count, self.count)
        guard available > 0 else { return nil }
        let frame = try Frame()
        frame.pointer.pointee.nb_samples = Int32(available)
        frame.pointer.pointee.format = format.sampleFormat.rawValue
        frame.pointer.pointee.sample_rate = format.sampleRate
        try check(av_channel_layout_copy(&frame.pointer.pointee.ch_layout, &format.layout), "av_channel_layout_copy")
        try check(av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer")
        let read = frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: Int(format.layout.nb_channels)) {
            av_audio_fifo_read(fifo, $0, Int32(available))
        }
        try check(read, "av_audio_fifo_read")
        frame.pts = nextPTS
        nextPTS += Int64(available)
        return frame
    }
}
