internal import CFFmpeg
import Foundation

/// An opened input file: container facts, its streams, and packets in file order.
///
/// Only the `file` protocol is allowed, so a playlist or a crafted name cannot make us read
/// the network or other files. The corresponding C functions are `avformat_open_input`,
/// `avformat_find_stream_info`, `av_read_frame` and `avformat_close_input`.
public final class Demuxer {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    public let path: String
    public let streams: [StreamInfo]

    public convenience init(path: String) throws(FFmpegError) {
        try self.init(url: "file:" + path, name: path, options: ["protocol_whitelist": "file"])
    }

    /// A live stream pulled over RTMP(S) (a PeerTube live's `rtmpUrl`): only those protocols, a
    /// read that waits more than `readTimeout` seconds fails with `ETIMEDOUT` (a publisher gone
    /// silent must not hold a runner forever), and the stream's parameters are read from its
    /// first packets rather than 5 s of it, so the first chunk goes out sooner.
    public convenience init(liveStream url: String, readTimeout: Double) throws(FFmpegError) {
        try self.init(url: url, name: url, options: [
            "protocol_whitelist": "rtmp,rtmps,tcp,tls", "rw_timeout": String(Int(readTimeout * 1_000_000)),
            "analyzeduration": "2000000", "probesize": "1000000", "rtmp_live": "live",
        ])
    }

    private init(url: String, name: String, options settings: [String: String]) throws(FFmpegError) {
        path = name
        var options: OpaquePointer?
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) { av_dict_set(&options, key, value, 0) }
        defer { av_dict_free(&options) }
        var opened: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_open_input(&opened, url, nil, &options), "cannot open as media")
        guard let opened else { throw .invalidArgument("avformat_open_input") }
        do {
            try check(avformat_find_stream_info(opened, nil), "cannot read stream information")
        } catch {
            var doomed: UnsafeMutablePointer<AVFormatContext>? = opened
            avformat_close_input(&doomed)
            throw error
        }
        context = opened
        streams = (0..<Int(opened.pointee.nb_streams)).compactMap { index in
            opened.pointee.streams[index].map { StreamDescriber.describe($0, index: index) }
        }
    }

    deinit {
        avformat_close_input(&context)
    }

    var format: UnsafeMutablePointer<AVFormatContext> {
        // Set in init and only cleared in deinit.
        context.unsafelyUnwrapped
    }

    public var formatName: String { format.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown" }
    public var formatLongName: String? { format.pointee.iformat?.pointee.long_name.map { String(cString: $0) } }

    /// Container duration in seconds, nil when unknown.
    public var duration: Double? {
        let raw = format.pointee.duration
        return raw > 0 && raw != cffmpeg_AV_NOPTS_VALUE ? Double(raw) / Double(AV_TIME_BASE) : nil
    }

    /// Earliest start time across streams, in seconds.
    public var startTime: Double? {
        timestamp(format.pointee.start_time).map { Double($0) / Double(AV_TIME_BASE) }
    }

    /// The container's `title` tag, if it has a non-empty one.
    public var title: String? { tag("title") }

    /// A container tag (`title`, `comment`, `date`, `creation_time`, …; any case), trimmed, nil
    /// when absent or empty.
    public func tag(_ name: String) -> String? {
        guard let value = av_dict_get(format.pointee.metadata, name, nil, 0)?.pointee.value else { return nil }
        let text = String(cString: value).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Container bit rate (`format.bit_rate`), nil when unknown.
    public var bitRate: Int64? { format.pointee.bit_rate > 0 ? format.pointee.bit_rate : nil }

    /// File size in bytes as the I/O layer sees it.
    public var fileSize: Int64? {
        guard let io = format.pointee.pb else { return nil }
        let size = avio_size(io)
        return size >= 0 ? size : nil
    }

    /// Reads the next packet, or nil at the end of the file. I/O and format errors throw
    /// (they are not an end of file; a service must tell the two apart).
    public func readPacket() throws(FFmpegError) -> Packet? {
        let packet = try Packet()
        let result = av_read_frame(format, packet.pointer)
        if result == cffmpeg_AVERROR_EOF { return nil }
        try check(result, "read error")
        return packet
    }

    /// The attached picture (cover art) of a stream with that disposition.
    public func attachedPicture(stream index: Int) throws(FFmpegError) -> Packet? {
        guard index < Int(format.pointee.nb_streams), let stream = format.pointee.streams[index],
              stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0,
              stream.pointee.attached_pic.size > 0 else { return nil }
        let packet = try Packet()
        try check(av_packet_ref(packet.pointer, &stream.pointee.attached_pic), "av_packet_ref")
        return packet
    }

    /// The track a stream's packets are copied to, unchanged, in another container.
    public func trackFormat(stream index: Int) throws(FFmpegError) -> TrackFormat {
        guard index < Int(format.pointee.nb_streams), let stream = format.pointee.streams[index] else {
            throw .invalidArgument("no stream \(index)")
        }
        return try TrackFormat(copying: stream)
    }

    /// A decoder for one stream, with the stream's parameters and packet time base.
    public func makeDecoder(stream index: Int, threads: Int = 0) throws(FFmpegError) -> Decoder {
        guard index < Int(format.pointee.nb_streams), let stream = format.pointee.streams[index] else {
            throw .invalidArgument("no stream \(index)")
        }
        let frameRate = av_guess_frame_rate(format, stream, nil)
        return try Decoder(parameters: stream.pointee.codecpar, timeBase: stream.pointee.time_base,
                           frameRate: frameRate, threads: threads)
    }
}
