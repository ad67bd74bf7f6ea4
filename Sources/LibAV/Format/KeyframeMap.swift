internal import CFFmpeg

/// Where a stream's keyframes are, in seconds from the start of the file's timeline: what
/// decides whether its packets can be copied into HLS segments (a segment can only start on
/// one) and how far apart they are.
public struct KeyframeMap: Sendable, Equatable {
    /// Keyframe times in decode order, seconds.
    public var times: [Double]
    /// Time of the stream's first packet, seconds.
    public var firstPacket: Double?
    /// End of the stream's last packet, seconds.
    public var end: Double
    /// Packets (pictures) in the stream.
    public var packetCount: Int

    public init(times: [Double], firstPacket: Double?, end: Double, packetCount: Int) {
        self.times = times
        self.firstPacket = firstPacket
        self.end = end
        self.packetCount = packetCount
    }

    /// Counts one packet starting at `time` and ending at `end` (seconds), in decode order.
    mutating func add(time: Double, end packetEnd: Double, isKeyframe: Bool) {
        packetCount += 1
        if firstPacket == nil { firstPacket = time }
        end = max(end, packetEnd)
        if isKeyframe { times.append(time) }
    }

    /// Pictures per second over the whole stream, nil for a stream too short to tell.
    public var averageFPS: Double? {
        let span = end - (firstPacket ?? 0)
        return packetCount > 1 && span > 0 ? Double(packetCount) / span : nil
    }

    /// The stream starts on a keyframe: its first packet is one.
    public var startsWithKeyframe: Bool {
        guard let first = times.first, let firstPacket else { return false }
        return abs(first - firstPacket) < 1e-6
    }

    /// The longest stretch without a keyframe, the tail after the last one included.
    public var longestGap: Double {
        guard let first = times.first else { return end - (firstPacket ?? 0) }
        var longest = first - (firstPacket ?? first)
        for (earlier, later) in zip(times, times.dropFirst()) { longest = max(longest, later - earlier) }
        return max(longest, end - (times.last ?? first))
    }
}

extension Demuxer {
    /// The keyframes from the container's index, when it lists every packet (MP4 and MOV do;
    /// Matroska's cues list only some keyframes). The corresponding C functions are
    /// `avformat_index_get_entries_count` and `avformat_index_get_entry`.
    public func indexedKeyframes(stream index: Int) -> KeyframeMap? {
        guard index < Int(format.pointee.nb_streams), let stream = format.pointee.streams[index] else { return nil }
        let count = avformat_index_get_entries_count(stream)
        guard count > 0, stream.pointee.nb_frames == Int64(count), let base = Rational(stream.pointee.time_base).doubleValue else {
            return nil
        }
        // The index has no durations: each entry is taken to last one frame.
        let frameDuration = Rational(stream.pointee.avg_frame_rate).doubleValue.map { 1 / $0 } ?? 0
        var map = KeyframeMap(times: [], firstPacket: nil, end: 0, packetCount: 0)
        for position in 0..<count {
            guard let entry = avformat_index_get_entry(stream, position)?.pointee,
                  entry.flags & AVINDEX_DISCARD_FRAME == 0 else { continue }
            let time = Double(entry.timestamp) * base
            map.add(time: time, end: time + frameDuration, isKeyframe: entry.flags & AVINDEX_KEYFRAME != 0)
        }
        return map
    }

    /// The keyframes found by reading every packet of the stream (no decoding); for containers
    /// without a full index. Reads from the current position: use a demuxer of its own.
    public func scanKeyframes(stream index: Int) throws(FFmpegError) -> KeyframeMap {
        guard index < Int(format.pointee.nb_streams), let stream = format.pointee.streams[index] else {
            throw .invalidArgument("no stream \(index)")
        }
        for other in 0..<Int(format.pointee.nb_streams) where other != index {
            format.pointee.streams[other]?.pointee.discard = AVDISCARD_ALL
        }
        let base = Rational(stream.pointee.time_base).doubleValue ?? 0
        var map = KeyframeMap(times: [], firstPacket: nil, end: 0, packetCount: 0)
        while let packet = try readPacket() {
            guard packet.streamIndex == index, let pts = packet.pts ?? packet.dts else { continue }
            let time = Double(pts) * base
            map.add(time: time, end: time + Double(packet.duration) * base, isKeyframe: packet.isKeyframe)
        }
        return map
    }
}
