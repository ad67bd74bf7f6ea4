/// What the studio graph needs to know of one input file (read by a probe before the edit).
public struct StudioMedia: Sendable, Equatable {
    public var path: String
    public var width: Int
    public var height: Int
    /// Rounded average frame rate (PeerTube's `getVideoStreamFPS`), at least 1.
    public var fps: Int
    public var hasVideo: Bool
    public var hasAudio: Bool
    /// Seconds.
    public var duration: Double
    public var sampleRate: Int

    public init(path: String, width: Int = 0, height: Int = 0, fps: Int = 0, hasVideo: Bool = true, hasAudio: Bool,
                duration: Double, sampleRate: Int = 48000) {
        self.path = path
        self.width = width
        self.height = height
        self.fps = fps
        self.hasVideo = hasVideo
        self.hasAudio = hasAudio
        self.duration = duration
        self.sampleRate = sampleRate
    }
}
