import Packaging

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
    /// The source's duration in seconds, once probed: `fraction` of it is the position reached.
    public var duration: Double?
    /// The plan's size at most (every rendition at its cap), reported once after probing so a
    /// caller can check its free disk space before the encoding fills it.
    public var estimatedBytes: Int64?
    /// A live's progress: the chunk just written, whole, in the job's folder.
    public var chunk: LiveChunk?

    public init(stage: Stage, fraction: Double, speed: Double = 0, eta: Double? = nil, currentRendition: String? = nil,
                duration: Double? = nil, estimatedBytes: Int64? = nil, chunk: LiveChunk? = nil) {
        self.chunk = chunk
        self.stage = stage
        self.fraction = fraction
        self.speed = speed
        self.eta = eta
        self.currentRendition = currentRendition
        self.duration = duration
        self.estimatedBytes = estimatedBytes
    }

    /// "at 00:01:12 of 00:03:40", or "" before the duration is known: where a failure happened.
    public var positionPhrase: String {
        guard let duration, duration > 0 else { return "" }
        return " at \(Timecode.full(fraction * duration)) of \(Timecode.full(duration))"
    }
}
