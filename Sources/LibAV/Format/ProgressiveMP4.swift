internal import CFFmpeg

/// Rewrites an MP4 (such as one of our single-file fragmented ones) as a progressive MP4 with
/// its index first, what `ffmpeg -c copy -movflags faststart` writes. PeerTube writes its web
/// videos this way: a browser plays and seeks them from the index alone, and a download is an
/// ordinary MP4 file. Only video and audio tracks are kept; packets are copied unchanged.
public enum ProgressiveMP4 {
    public static func remux(_ source: String, to destination: String) throws(FFmpegError) {
        let input = try Demuxer(path: source)
        var created: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&created, nil, "mp4", destination), "avformat_alloc_output_context2")
        guard let output = created else { throw .invalidArgument("avformat_alloc_output_context2") }
        defer {
            avio_closep(&output.pointee.pb)
            avformat_free_context(output)
        }
        var targets: [Int: (index: Int32, timeBase: Rational)] = [:]
        for stream in input.streams where stream.kind == .video || stream.kind == .audio {
            let track = try input.trackFormat(stream: stream.index)
            guard let added = avformat_new_stream(output, nil) else { throw .outOfMemory("avformat_new_stream") }
            try check(avcodec_parameters_copy(added.pointee.codecpar, track.parameters), "avcodec_parameters_copy")
            added.pointee.time_base = track.timeBase.av
            targets[stream.index] = (added.pointee.index, track.timeBase)
        }
        try check(avio_open(&output.pointee.pb, "file:" + destination, AVIO_FLAG_WRITE), "cannot create \(destination)")
        var options: OpaquePointer?
        av_dict_set(&options, "movflags", "+faststart", 0)
        defer { av_dict_free(&options) }
        av_dict_set(&output.pointee.metadata, "encoder", nil, 0)
        try check(avformat_write_header(output, &options), "avformat_write_header")
        while let packet = try input.readPacket() {
            guard let target = targets[packet.streamIndex], let stream = output.pointee.streams[Int(target.index)] else { continue }
            packet.pointer.pointee.stream_index = target.index
            packet.pointer.pointee.pos = -1
            av_packet_rescale_ts(packet.pointer, target.timeBase.av, stream.pointee.time_base)
            try check(av_interleaved_write_frame(output, packet.pointer), "write packet")
        }
        try check(av_write_trailer(output), "av_write_trailer")
    }
}
