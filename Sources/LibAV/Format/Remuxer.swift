/// Copies packets between containers without decoding them.
public enum Remuxer {
    /// Rewrites an MP4 (such as one of our single-file fragmented ones) as a progressive MP4 with
    /// its index first, what `ffmpeg -c copy -movflags faststart` writes. PeerTube writes its web
    /// videos this way: a browser plays and seeks them from the index alone, and a download is an
    /// ordinary MP4 file. Only the video and audio tracks are kept.
    public static func progressiveMP4(_ source: String, to destination: String) throws(FFmpegError) {
        let input = try Demuxer(path: source)
        let output = try RemuxOutput(path: destination, format: "mp4", movflags: "+faststart")
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

    /// One Matroska file with the first video track of `video` and the first audio track of
    /// `audio`, interleaved by time: what a PeerTube job whose video file has no audio
    /// (`separatedAudioFileUrl`) is made from. Matroska takes any codec either file may hold.
    public static func merge(video: String, audio: String, to destination: String) throws(FFmpegError) {
        let output = try RemuxOutput(path: destination, format: "matroska")
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
