/// Writes encoded packets (or packets copied from a source) into one file: a progressive MP4
/// with its index first (`-movflags faststart`, what PeerTube takes as a web video or a studio
/// result) or one MPEG-TS chunk of a live. Packets are interleaved by the muxer, so the video and
/// audio encoders may run ahead of each other a little.
public final class EncodedFileWriter {
    public enum Container: Sendable {
        case progressiveMP4
        /// MPEG-TS: each file starts with its own PAT and PMT and stands alone, as a live chunk must.
        case mpegTS
    }

    private let output: RemuxOutput
    private var tracks: [FragmentedMP4Writer.Track: Int] = [:]

    public init(path: String, container: Container, video: TrackFormat?, audio: TrackFormat?) throws(FFmpegError) {
        switch container {
        case .progressiveMP4: output = try RemuxOutput(path: path, format: "mp4", movflags: "+faststart")
        case .mpegTS: output = try RemuxOutput(path: path, format: "mpegts")
        }
        if let video { tracks[.video] = try output.addTrack(video) }
        if let audio { tracks[.audio] = try output.addTrack(audio) }
    }

    /// Writes one packet, with timestamps in its track's time base.
    public func write(_ packet: borrowing Packet, track: FragmentedMP4Writer.Track) throws(FFmpegError) {
        guard let index = tracks[track] else { throw .invalidArgument("no \(track) track in this file") }
        try output.write(packet, track: index)
    }

    /// Writes what the container keeps for the end (an MP4's index, moved to the front) and closes the file.
    public func finish() throws(FFmpegError) {
        try output.finish()
    }
}
