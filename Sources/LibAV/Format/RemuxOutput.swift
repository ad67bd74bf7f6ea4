internal import CFFmpeg

/// A file being written from packets copied unchanged from other files (no decoding): the
/// muxer half of ``Remuxer``. Tracks are declared first, then packets are written with the time
/// base they were read in, then ``finish()`` writes the trailer.
final class RemuxOutput {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var timeBases: [Rational] = []
    private let path: String
    private let movflags: String?
    private var started = false

    /// `format` is a muxer name (`mp4`, `matroska`); `movflags` are the MP4 muxer's flags.
    init(path: String, format: String, movflags: String? = nil) throws(FFmpegError) {
        self.path = path
        self.movflags = movflags
        var created: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&created, nil, format, path), "avformat_alloc_output_context2")
        guard let created else { throw .invalidArgument("avformat_alloc_output_context2") }
        context = created
    }

    deinit {
        if let context {
            avio_closep(&context.pointee.pb)
            avformat_free_context(context)
        }
    }

    private var format: UnsafeMutablePointer<AVFormatContext> { context.unsafelyUnwrapped }

    /// Declares a track for packets in `track`'s time base; returns its index for ``write(_:track:)``.
    func addTrack(_ track: TrackFormat) throws(FFmpegError) -> Int {
        guard let stream = avformat_new_stream(format, nil) else { throw .outOfMemory("avformat_new_stream") }
        try check(avcodec_parameters_copy(stream.pointee.codecpar, track.parameters), "avcodec_parameters_copy")
        stream.pointee.time_base = track.timeBase.av
        timeBases.append(track.timeBase)
        return Int(stream.pointee.index)
    }

    /// Writes one packet, read in its track's time base; the header goes first, once.
    func write(_ packet: borrowing Packet, track: Int) throws(FFmpegError) {
        if !started { try start() }
        guard track < timeBases.count, let stream = format.pointee.streams[track] else { throw .invalidArgument("no track \(track)") }
        packet.pointer.pointee.stream_index = Int32(track)
        packet.pointer.pointee.pos = -1
        av_packet_rescale_ts(packet.pointer, timeBases[track].av, stream.pointee.time_base)
        try check(av_interleaved_write_frame(format, packet.pointer), "write packet")
    }

    /// Writes the trailer (for `+faststart`, moves the index before the media) and closes the file.
    func finish() throws(FFmpegError) {
        if !started { try start() }
        try check(av_write_trailer(format), "av_write_trailer")
        try check(avio_closep(&format.pointee.pb), "close output")
    }

    private func start() throws(FFmpegError) {
        try check(avio_open(&format.pointee.pb, "file:" + path, AVIO_FLAG_WRITE), "cannot create \(path)")
        var options: OpaquePointer?
        if let movflags { av_dict_set(&options, "movflags", movflags, 0) }
        defer { av_dict_free(&options) }
        // No metadata beyond FFmpeg's own, as PeerTube's -map_metadata -1.
        av_dict_set(&format.pointee.metadata, "encoder", nil, 0)
        try check(avformat_write_header(format, &options), "avformat_write_header")
        started = true
    }
}
