/// One track of one file, read a packet ahead so that ``Remuxer/merge(video:audio:to:as:)`` can
/// write the packets of two files in time order.
final class TrackReader {
    private let demuxer: Demuxer
    private let stream: Int
    private let timeBase: Rational
    private let output: RemuxOutput
    private let track: Int
    private var pending: Packet?
    /// The pending packet's decoding time in seconds, nil at the end of the track.
    private(set) var nextTime: Double?

    /// Reads the first track of `kind` in `path` into a new track of `output`.
    init(path: String, kind: StreamInfo.Kind, output: RemuxOutput) throws(FFmpegError) {
        demuxer = try Demuxer(path: path)
        guard let info = demuxer.streams.first(where: { $0.kind == kind }) else {
            throw .invalidArgument("\(path) has no \(kind) track")
        }
        stream = info.index
        timeBase = info.timeBase
        self.output = output
        track = try output.addTrack(demuxer.trackFormat(stream: info.index))
        try advance()
    }

    /// Writes the packet read ahead and reads the next one.
    func writeNext() throws(FFmpegError) {
        if let packet = pending.take() { try output.write(packet, track: track) }
        try advance()
    }

    private func advance() throws(FFmpegError) {
        pending = nil
        nextTime = nil
        while let packet = try demuxer.readPacket() {
            guard packet.streamIndex == stream else { continue }
            nextTime = Double(packet.dts ?? packet.pts ?? 0) * (timeBase.doubleValue ?? 0)
            pending = consume packet
            return
        }
    }
}
