/// What a transcode will make: the renditions (top first), the audio, and the packaging rules.
public struct LadderPlan: Sendable, Equatable, Codable {
    public var pipeline: String
    public var renditions: [RenditionPlan]
    public var audio: AudioPlan?
    public var splitAudio: Bool
    /// Audio-only source: the video is a still image (cover art or a plain background).
    public var isStillImage: Bool
    public var segmentSeconds: Int
    public var keyframeSeconds: Int
    /// Upper bound of the package size: every rung at its bitrate cap for the whole duration.
    public var estimatedMaxBytes: Int64

    public init(pipeline: String, renditions: [RenditionPlan], audio: AudioPlan?, splitAudio: Bool,
                isStillImage: Bool, segmentSeconds: Int, keyframeSeconds: Int, estimatedMaxBytes: Int64) {
        self.pipeline = pipeline
        self.renditions = renditions
        self.audio = audio
        self.splitAudio = splitAudio
        self.isStillImage = isStillImage
        self.segmentSeconds = segmentSeconds
        self.keyframeSeconds = keyframeSeconds
        self.estimatedMaxBytes = estimatedMaxBytes
    }
}

/// One video rendition.
public struct RenditionPlan: Sendable, Equatable, Codable {
    /// min(width, height): the number in the file names.
    public var resolution: Int
    public var width: Int
    public var height: Int
    /// Constant output frame rate.
    public var fps: Int
    /// x264 `maxrate`, bits per second; `bufsize` is twice this.
    public var maxBitrate: Int
    public var isTop: Bool

    public init(resolution: Int, width: Int, height: Int, fps: Int, maxBitrate: Int, isTop: Bool) {
        self.resolution = resolution
        self.width = width
        self.height = height
        self.fps = fps
        self.maxBitrate = maxBitrate
        self.isTop = isTop
    }

    public var bufferSize: Int { maxBitrate * 2 }
    /// Frames between forced keyframes.
    public func keyframeInterval(seconds: Int) -> Int { fps * seconds }
}

/// The one audio encode every rendition shares.
public struct AudioPlan: Sendable, Equatable, Codable {
    public var codec: String
    public var sampleRate: Int
    public var channels: Int
    public var bitRate: Int

    public init(codec: String = "aac", sampleRate: Int, channels: Int = 2, bitRate: Int) {
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitRate = bitRate
    }
}
