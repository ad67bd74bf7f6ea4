internal import CFFmpeg

/// Writes one single-file fragmented MP4 the way FFmpeg's HLS muxer does for PeerTube
/// (`movflags +frag_custom+dash+delay_moov`), with fragment boundaries under our control.
///
/// The first ``flushFragment()`` writes only the init segment (ftyp + moov, at offset 0): with
/// `delay_moov` the moov is written once every track has samples, so it carries the real edit
/// lists. Each later call closes one media segment (sidx + moof + mdat). Offsets returned are
/// byte positions in the file, which become the playlist's byte ranges.
public final class FragmentedMP4Writer {
    public enum Track: Sendable { case video, audio }

    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var videoStream: (index: Int32, packetTimeBase: AVRational)?
    private var audioStream: (index: Int32, packetTimeBase: AVRational)?
    private var finished = false

    /// A file with a video track, an audio track, or both, each declared by the packets it will take.
    public init(path: String, video: TrackFormat?, audio: TrackFormat?) throws(FFmpegError) {
        var created: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&created, nil, "mp4", path), "avformat_alloc_output_context2")
        guard let created else { throw .invalidArgument("avformat_alloc_output_context2") }
        context = created
        func addStream(_ track: TrackFormat) throws(FFmpegError) -> (Int32, AVRational) {
            guard let stream = avformat_new_stream(created, nil) else { throw .outOfMemory("avformat_new_stream") }
            try check(avcodec_parameters_copy(stream.pointee.codecpar, track.parameters), "avcodec_parameters_copy")
            stream.pointee.time_base = track.timeBase.av
            return (stream.pointee.index, track.timeBase.av)
        }
        if let video { videoStream = try addStream(video) }
        if let audio { audioStream = try addStream(audio) }
        try check(avio_open(&created.pointee.pb, "file:" + path, AVIO_FLAG_WRITE), "cannot create \(path)")
        var options: OpaquePointer?
        av_dict_set(&options, "movflags", "+frag_custom+dash+delay_moov+skip_trailer", 0)
        defer { av_dict_free(&options) }
        // No metadata from the source and no encoder tag beyond FFmpeg's own (PeerTube: -map_metadata -1).
        av_dict_set(&created.pointee.metadata, "encoder", nil, 0)
        try check(avformat_write_header(created, &options), "avformat_write_header")
    }

    deinit {
        if let context, !finished {
            avio_closep(&context.pointee.pb)
        }
        avformat_free_context(context)
    }

    private var format: UnsafeMutablePointer<AVFormatContext> { context.unsafelyUnwrapped }

    /// Writes one packet into the current fragment, converting its timestamps from the track's
    /// packet time base to the stream's (final only after the header was written).
    public func write(_ packet: consuming Packet, track: Track) throws(FFmpegError) {
        guard let stream = track == .video ? videoStream : audioStream,
              let avStream = format.pointee.streams[Int(stream.index)] else {
            throw .invalidArgument("no \(track) track in this file")
        }
        packet.pointer.pointee.stream_index = stream.index
        av_packet_rescale_ts(packet.pointer, stream.packetTimeBase, avStream.pointee.time_base)
        try check(av_write_frame(format, packet.pointer), "write \(track) packet")
    }

    /// Closes the current fragment and returns the file offset just after it.
    /// The corresponding C call is `av_write_frame(ctx, NULL)`.
    public func flushFragment() throws(FFmpegError) -> Int64 {
        try check(av_write_frame(format, nil), "flush fragment")
        avio_flush(format.pointee.pb)
        return avio_tell(format.pointee.pb)
    }

    /// Writes the trailer (no mfra: `skip_trailer`), closes the file and returns its size.
    public func finish() throws(FFmpegError) -> Int64 {
        try check(av_write_trailer(format), "av_write_trailer")
        avio_flush(format.pointee.pb)
        let size = avio_tell(format.pointee.pb)
        finished = true
        try check(avio_closep(&format.pointee.pb), "close output")
        return size
    }
}
