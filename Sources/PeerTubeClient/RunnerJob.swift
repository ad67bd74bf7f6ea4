import Foundation
import Ladder

/// A job as `/jobs/request` lists it: its uuid, type and what to make (runner-protocol.md §5).
public struct RunnerJob: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case webVideo = "vod-web-video-transcoding"
        case hls = "vod-hls-transcoding"
        /// An audio-only upload made into a still-picture video (the video's preview) at 480p.
        case audioMerge = "vod-audio-merge-transcoding"
        /// [8.0+] one storyboard sprite sheet with the layout the job gives.
        case storyboard = "generate-video-storyboard"
        /// A studio edit (cut, intro, outro, watermark, removed segments) of a published video;
        /// its success makes the instance queue a new transcoding chain.
        case studio = "video-studio-transcoding"
        /// A live: pull the instance's RTMP stream and send MPEG-TS chunks and playlists as it goes.
        case live = "live-rtmp-hls-transcoding"

        /// A short name for records (`webVideo`, `hls`, `audioMerge`, `storyboard`).
        public var key: String {
            switch self {
            case .webVideo: "webVideo"
            case .hls: "hls"
            case .audioMerge: "audioMerge"
            case .storyboard: "storyboard"
            case .studio: "studio"
            case .live: "live"
            }
        }
    }

    /// A storyboard job's `sprites`: each sprite's size, the grid, and seconds per sprite.
    public struct Sprites: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var columns: Int
        public var rows: Int
        public var duration: Int
    }

    public var uuid: String
    public var kind: Kind
    /// The input to download (`…/files/videos/<videoUUID>/max-quality[/audio]`).
    public var inputURL: String
    /// The audio to add when the video file has none (`separatedAudioFileUrl`: set when the job
    /// was created while the video's best file was a video-only HLS rung).
    public var separatedAudioURL: String?
    /// Audio merge only: the picture the video shows (`…/thumbnails/max-quality`, 6.3: `previews`).
    public var previewURL: String?
    /// Storyboard only: the sheet's layout.
    public var sprites: Sprites?
    /// Studio only: the edits, in order, their files still as URLs on the instance.
    public var studioTasks: [StudioTask] = []
    /// Live only: what to make of the stream at `inputURL` (its RTMP URL, which holds the stream key).
    public var live: LiveRequest?
    /// The video the job belongs to, read from the input URL (the payload names it nowhere else).
    public var videoUUID: String
    /// min(width, height) to make; 0 is audio only.
    public var resolution: Int
    public var fps: Int
    /// HLS only: video without audio (resolution > 0), the audio in its own resolution-0 job.
    public var separatedAudio: Bool

    /// Reads one entry of `availableJobs`; nil for a type this runner does not make or a payload
    /// it cannot read.
    public init?(json: [String: Any]) {
        if json["type"] as? String == Kind.live.rawValue {
            guard let job = Self.live(json: json) else { return nil }
            self = job
            return
        }
        guard let uuid = json["uuid"] as? String, let type = json["type"] as? String, let kind = Kind(rawValue: type),
              let payload = json["payload"] as? [String: Any], let input = payload["input"] as? [String: Any],
              let output = (payload["output"] as? [String: Any]) ?? ([.storyboard, .studio].contains(kind) ? [:] : nil),
              let url = (input["videoFileUrl"] ?? input["audioFileUrl"]) as? String,
              let video = Self.videoUUID(in: url) else { return nil }
        let resolution = output["resolution"] as? Int
        if kind == .storyboard {
            guard let sprites = payload["sprites"] as? [String: Any], let size = sprites["size"] as? [String: Any],
                  let count = sprites["count"] as? [String: Any], let width = size["width"] as? Int, let height = size["height"] as? Int,
                  let columns = count["width"] as? Int, let rows = count["height"] as? Int, let duration = sprites["duration"] as? Int
            else { return nil }
            self.sprites = Sprites(width: width, height: height, columns: columns, rows: rows, duration: duration)
        } else if kind == .studio {
            // A task this runner does not know (or cannot read) leaves the whole job to another runner.
            guard let tasks = payload["tasks"] as? [[String: Any]], !tasks.isEmpty,
                  case let parsed = tasks.compactMap(StudioTask.init(payload:)), parsed.count == tasks.count else { return nil }
            studioTasks = parsed
        } else if resolution == nil {
            return nil
        }
        self.uuid = uuid
        self.kind = kind
        inputURL = url
        previewURL = input["previewFileUrl"] as? String
        separatedAudioURL = (input["separatedAudioFileUrl"] as? [String])?.first
        videoUUID = video
        self.resolution = resolution ?? 0
        fps = output["fps"] as? Int ?? 0
        separatedAudio = output["separatedAudio"] as? Bool ?? false
    }

    public init(uuid: String, kind: Kind, inputURL: String, videoUUID: String, resolution: Int, fps: Int, separatedAudio: Bool,
                previewURL: String? = nil) {
        self.previewURL = previewURL
        self.uuid = uuid
        self.kind = kind
        self.inputURL = inputURL
        self.videoUUID = videoUUID
        self.resolution = resolution
        self.fps = fps
        self.separatedAudio = separatedAudio
    }

    /// A live job: its payload names no video, so the job stands for itself.
    static func live(json: [String: Any]) -> RunnerJob? {
        guard let uuid = json["uuid"] as? String, let payload = json["payload"] as? [String: Any],
              let input = payload["input"] as? [String: Any], let url = input["rtmpUrl"] as? String,
              let output = payload["output"] as? [String: Any], let request = LiveRequest(output: output) else { return nil }
        var job = RunnerJob(uuid: uuid, kind: .live, inputURL: url, videoUUID: uuid, resolution: 0, fps: 0, separatedAudio: false)
        job.live = request
        return job
    }

    /// `…/files/videos/<id>/…` → `<id>`.
    static func videoUUID(in url: String) -> String? {
        let parts = (URL(string: url)?.path ?? url).split(separator: "/")
        guard let index = parts.firstIndex(of: "videos"), index + 1 < parts.count, parts[index - 1] == "files" else { return nil }
        return String(parts[index + 1])
    }

    /// The audio-only outputs: the podcast mp4 and the split-audio HLS rendition.
    public var isAudioOnly: Bool { resolution == 0 }
}
