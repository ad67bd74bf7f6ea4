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
    /// Why the top rung is encoded rather than copied from the source; nil when it is copied
    /// or the source has no video to copy.
    public var copyRefusal: String?

    /// An audio-only rendition (resolution 0) is made: with split audio, or when asked for beside
    /// renditions that carry the audio too.
    public var audioOnlyRendition = false

    /// The top rung is the source's own video packets.
    public var copiesTopRung: Bool { renditions.first?.copy ?? false }

    public init(pipeline: String, renditions: [RenditionPlan], audio: AudioPlan?, splitAudio: Bool,
                isStillImage: Bool, segmentSeconds: Int, keyframeSeconds: Int, estimatedMaxBytes: Int64,
                copyRefusal: String? = nil) {
        self.pipeline = pipeline
        self.renditions = renditions
        self.audio = audio
        self.splitAudio = splitAudio
        self.isStillImage = isStillImage
        self.segmentSeconds = segmentSeconds
        self.keyframeSeconds = keyframeSeconds
        self.estimatedMaxBytes = estimatedMaxBytes
        self.copyRefusal = copyRefusal
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
    /// The source's video packets are copied instead of encoded (the top rung only); then
    /// `maxBitrate` is the source's bitrate.
    public var copy: Bool

    public init(resolution: Int, width: Int, height: Int, fps: Int, maxBitrate: Int, isTop: Bool, copy: Bool = false) {
        self.resolution = resolution
        self.width = width
        self.height = height
        self.fps = fps
        self.maxBitrate = maxBitrate
        self.isTop = isTop
        self.copy = copy
    }

    public var bufferSize: Int { maxBitrate * 2 }
    /// Frames between forced keyframes.
    public func keyframeInterval(seconds: Int) -> Int { fps * seconds }
}

/// The one audio track every rendition shares: encoded once, or the source's AAC copied.
public struct AudioPlan: Sendable, Equatable, Codable {
    public var codec: String
    public var sampleRate: Int
    public var channels: Int
    public var bitRate: Int
    /// The source's AAC packets are copied (PeerTube's `canCopyAudio`); the other fields then
    /// describe the source's track.
    public var copy: Bool
    /// Why the source's audio is encoded rather than copied.
    public var copyRefusal: String?

    public init(codec: String = "aac", sampleRate: Int, channels: Int = 2, bitRate: Int, copy: Bool = false,
                copyRefusal: String? = nil) {
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitRate = bitRate
        self.copy = copy
        self.copyRefusal = copyRefusal
    }
}
