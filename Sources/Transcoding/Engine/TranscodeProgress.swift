/// Where a transcode is, for a progress bar, a status API or a stall watchdog.
public struct TranscodeProgress: Sendable, Equatable, Codable {
    public enum Stage: String, Sendable, Codable {
        case probing, encoding, packaging, verifying, done
    }

    public var stage: Stage
    /// 0...1 of the source duration that every rendition has encoded.
    public var fraction: Double
    /// Seconds of media encoded per second of wall time (x realtime).
    public var speed: Double
    /// Estimated seconds left, nil until the speed is known.
    public var eta: Double?
    /// The rendition furthest behind (e.g. "1080p"), which decides the pace.
    public var currentRendition: String?

    public init(stage: Stage, fraction: Double, speed: Double = 0, eta: Double? = nil, currentRendition: String? = nil) {
        self.stage = stage
        self.fraction = fraction
        self.speed = speed
        self.eta = eta
        self.currentRendition = currentRendition
    }
}
