import Foundation

/// A job as `/jobs/request` lists it: its uuid, type and what to make (runner-protocol.md §5).
public struct RunnerJob: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case webVideo = "vod-web-video-transcoding"
        case hls = "vod-hls-transcoding"
        /// An audio-only upload made into a still-picture video (the video's preview) at 480p.
        case audioMerge = "vod-audio-merge-transcoding"
    }

    public var uuid: String
    public var kind: Kind
    /// The input to download (`…/files/videos/<videoUUID>/max-quality[/audio]`).
    public var inputURL: String
    /// Audio merge only: the picture the video shows (`…/thumbnails/max-quality`, 6.3: `previews`).
    public var previewURL: String?
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
        guard let uuid = json["uuid"] as? String, let type = json["type"] as? String, let kind = Kind(rawValue: type),
              let payload = json["payload"] as? [String: Any], let input = payload["input"] as? [String: Any],
              let output = payload["output"] as? [String: Any],
              let url = (input["videoFileUrl"] ?? input["audioFileUrl"]) as? String,
              let resolution = output["resolution"] as? Int, let video = Self.videoUUID(in: url) else { return nil }
        self.uuid = uuid
        self.kind = kind
        inputURL = url
        previewURL = input["previewFileUrl"] as? String
        videoUUID = video
        self.resolution = resolution
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

    /// `…/files/videos/<id>/…` → `<id>`.
    static func videoUUID(in url: String) -> String? {
        let parts = (URL(string: url)?.path ?? url).split(separator: "/")
        guard let index = parts.firstIndex(of: "videos"), index + 1 < parts.count, parts[index - 1] == "files" else { return nil }
        return String(parts[index + 1])
    }

    /// The audio-only outputs: the podcast mp4 and the split-audio HLS rendition.
    public var isAudioOnly: Bool { resolution == 0 }
}
