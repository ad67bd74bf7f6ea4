/// Copies packets between containers without decoding them.
public enum Remuxer {
    /// What a remux writes.
    public enum Container: Sendable {
        /// A progressive MP4 with its index first, what `ffmpeg -c copy -movflags faststart`
        /// writes. PeerTube writes its web videos this way: a browser plays and seeks them from
        /// the index alone, and a download is an ordinary MP4 file.
        case progressiveMP4
        /// Matroska, which takes any codec.
        case matroska

        func output(_ path: String) throws(FFmpegError) -> RemuxOutput {
            switch self {
            case .progressiveMP4: try RemuxOutput(path: path, format: "mp4", movflags: "+faststart")
            case .matroska: try RemuxOutput(path: path, format: "matroska")
            }
        }
    }

    /// Rewrites a file (such as one of our single-file fragmented MP4s) in `container`, keeping
    /// its video and audio tracks.
    public static func rewrite(_ source: String, to destination: String, as container: Container) throws(FFmpegError) {
        let input = try Demuxer(path: source)
        let output = try container.output(destination)
        var tracks: [Int: Int] = [:]
        for stream in input.streams where stream.kind == .video || stream.kind == .audio {
            tracks[stream.index] = try output.addTrack(input.trackFormat(stream: stream.index))
        }
        while let packet = try input.readPacket() {
            guard let track = tracks[packet.streamIndex] else { continue }
            try output.write(packet, track: track)
        }
        try output.finish()
    }

    /// One file with the first video track of `video` and the first audio track of `audio`,
    /// interleaved by time: a video-only file given its audio back (a PeerTube job's
    /// `separatedAudioFileUrl`, a web video made from split-audio renditions).
    public static func merge(video: String, audio: String, to destination: String, as container: Container) throws(FFmpegError) {
        let output = try container.output(destination)
        let pictures = try TrackReader(path: video, kind: .video, output: output)
        let sound = try TrackReader(path: audio, kind: .audio, output: output)
        while true {
            let waiting = [pictures, sound].compactMap { reader in reader.nextTime.map { (reader: reader, time: $0) } }
            guard let earliest = waiting.min(by: { $0.time < $1.time }) else { break }
            try earliest.reader.writeNext()
        }
        try output.finish()
    }
}
