import Foundation
import TestSupport

/// Media made at test time with the ffmpeg CLI, in a folder removed when the test process exits.
enum RunnerMedia {
    static let folder = ScratchFolder.make("sluice-runner-media")

    /// A 360p25 upload with AAC, 6 s, made once per process.
    static func upload() throws -> URL {
        try make("upload.mp4", ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i",
                                "sine=frequency=440:sample_rate=48000", "-t", "6", "-c:v", "libx264", "-preset", "veryfast",
                                "-b:v", "600k", "-g", "50", "-pix_fmt", "yuv420p", "-ac", "2", "-c:a", "aac", "-b:a", "96k"])
    }

    /// The upload as split-audio HLS keeps it: its video alone, and its audio alone.
    static func splitUpload() throws -> (video: URL, audio: URL) {
        let upload = try upload()
        let video = try make("upload-video-only.mp4", ["-i", upload.path, "-an", "-c", "copy"])
        let audio = try make("upload-audio-only.m4a", ["-i", upload.path, "-vn", "-c", "copy"])
        return (video, audio)
    }

    /// A phone held upright: 360x640 at 60 fps with AAC, 3 s.
    static func portrait60() throws -> URL {
        try make("portrait60.mp4", ["-f", "lavfi", "-i", "testsrc2=size=360x640:rate=60", "-f", "lavfi", "-i",
                                    "sine=frequency=550:sample_rate=48000", "-t", "3", "-c:v", "libx264", "-preset", "veryfast",
                                    "-b:v", "800k", "-g", "120", "-pix_fmt", "yuv420p", "-ac", "2", "-c:a", "aac", "-b:a", "96k"])
    }

    /// A 360p25 upload with AAC lasting 20 s: a pass long enough to be killed in.
    static func longUpload() throws -> URL {
        try make("long-upload.mp4", ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i",
                                     "sine=frequency=440:sample_rate=48000", "-t", "20", "-c:v", "libx264", "-preset", "veryfast",
                                     "-b:v", "600k", "-g", "50", "-pix_fmt", "yuv420p", "-ac", "2", "-c:a", "aac", "-b:a", "96k"])
    }

    /// An audio upload (AAC, 5 s) and the preview PeerTube would merge it with (a 850x480 JPEG).
    static func audioUpload() throws -> (audio: URL, preview: URL) {
        let audio = try make("podcast.m4a", ["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-t", "5",
                                             "-ac", "2", "-c:a", "aac", "-b:a", "128k"])
        let preview = try make("preview.jpg", ["-f", "lavfi", "-i", "testsrc2=size=850x480", "-frames:v", "1"])
        return (audio, preview)
    }

    /// An MP3 song with no picture at all.
    static func mp3() throws -> URL {
        try make("song.mp3", ["-f", "lavfi", "-i", "sine=frequency=520:sample_rate=44100", "-t", "4", "-ac", "2", "-c:a", "libmp3lame"])
    }

    /// A silent 320x240 intro at 30 fps, 2 s: another size and rate than the upload.
    static func silentIntro() throws -> URL {
        try make("intro.mp4", ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
                               "-pix_fmt", "yuv420p"])
    }

    /// A 5 s outro with sound at 44.1 kHz, 1280x720 at 50 fps.
    static func outro() throws -> URL {
        try make("outro.mp4", ["-f", "lavfi", "-i", "testsrc=size=1280x720:rate=50", "-f", "lavfi", "-i",
                               "sine=frequency=880:sample_rate=44100", "-t", "5", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"])
    }

    /// A magenta 64x64 PNG, a colour no test pattern shows.
    static func watermark() throws -> URL {
        try make("watermark.png", ["-f", "lavfi", "-i", "color=c=0xFF00FF:size=64x64", "-frames:v", "1"])
    }

    /// Bytes that are no video at all.
    static func broken() throws -> URL {
        let url = folder.appendingPathComponent("broken.mp4")
        try Data((0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: url)
        return url
    }

    static func make(_ name: String, _ arguments: [String]) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FFmpegCLI.makeOnce(url, arguments)
        return url
    }

    static func stateFolder() throws -> URL {
        let url = folder.appendingPathComponent("state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
