/// Writes encoded packets into one progressive MP4 with its index first (`-movflags
/// faststart`): what PeerTube takes as a web video or a studio result. Packets are interleaved
/// by the muxer, so the video and audio encoders may run ahead of each other a little.
public final class ProgressiveMP4Writer {
    private let output: RemuxOutput
    private var tracks: [FragmentedMP4Writer.Track: Int] = [:]

    public init(path: String, video: TrackFormat, audio: TrackFormat?) throws(FFmpegError) {
        output = try RemuxOutput(path: path, format: "mp4", movflags: "+faststart")
        tracks[.video] = try output.addTrack(video)
        if let audio { tracks[.audio] = try output.addTrack(audio) }
    }

    /// Writes one packet, with timestamps in its track's time base.
    public func write(_ packet: borrowing Packet, track: FragmentedMP4Writer.Track) throws(FFmpegError) {
        guard let index = tracks[track] else { throw .invalidArgument("no \(track) track in this file") }
        try output.write(packet, track: index)
    }

    /// Writes the index at the front and closes the file.
    public func finish() throws(FFmpegError) {
        try output.finish()
    }
}
