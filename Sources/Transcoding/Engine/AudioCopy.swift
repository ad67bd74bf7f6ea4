import LibAV

/// The source's AAC packets, passed to every rendition unchanged but for their timestamps,
/// which move onto the shared timeline (the video's first picture is 0), as `-c:a copy` does.
final class AudioCopy {
    let streamIndex: Int
    let track: TrackFormat
    private let originTicks: Int64
    private let timeBase: Double
    /// A packet ending this long before the video starts is left out (the encoder priming
    /// packet, which ends exactly at the start, is kept: its edit list trims it).
    private static let lead = 0.05
    /// End of the last packet passed on, seconds from the origin.
    private(set) var reached = 0.0

    init(stream: Int, track: TrackFormat, origin: Double) {
        streamIndex = stream
        self.track = track
        timeBase = track.timeBase.doubleValue ?? 0
        originTicks = timeBase > 0 ? Int64((origin / timeBase).rounded()) : 0
    }

    /// A new reference to `packet` on the shared timeline, or nil for one wholly before the video.
    func rebased(_ packet: borrowing Packet) throws(FFmpegError) -> Packet? {
        let copy = try packet.ref()
        copy.shiftTimestamps(by: -originTicks)
        if let pts = copy.pts {
            let end = Double(pts + copy.duration) * timeBase
            if end < -Self.lead { return nil }
            reached = max(reached, end)
        }
        return .some(copy)
    }
}
