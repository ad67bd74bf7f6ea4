import LibAV

/// Everything `sluice probe` reports about a file.
public struct ProbeReport: Sendable, Codable, Equatable {
    public var file: String
    public var size: Int64?
    public var container: String
    public var containerLongName: String?
    /// Seconds; nil when the container does not say.
    public var duration: Double?
    public var startTime: Double?
    public var bitRate: Int64?
    /// The container's title tag: the video's name where it has one.
    public var title: String?
    public var streams: [StreamInfo]

    /// The picture stream to transcode: the default (else first) video stream that is not cover art.
    public var videoStream: StreamInfo? {
        let pictures = streams.filter { $0.kind == .video && !$0.isAttachedPicture }
        return pictures.first(where: \.isDefault) ?? pictures.first
    }

    /// The audio stream to transcode: the default one, else the first (tiers.md, "Audio").
    public var audioStream: StreamInfo? {
        let tracks = streams.filter { $0.kind == .audio }
        return tracks.first(where: \.isDefault) ?? tracks.first
    }

    /// Cover art of an audio file (an attached picture).
    public var coverArt: StreamInfo? {
        streams.first { $0.kind == .video && $0.isAttachedPicture }
    }

    /// The duration the output must match: the video stream's, else the container's, else the audio's.
    public var expectedDuration: Double? {
        videoStream?.duration ?? duration ?? audioStream?.duration
    }
}
