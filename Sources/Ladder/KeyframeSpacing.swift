/// How a source's keyframes are spaced: a copied rung can only cut its segments on them.
public struct KeyframeSpacing: Sendable, Equatable, Codable {
    /// The longest stretch without a keyframe, seconds (the tail after the last one included).
    public var longestGap: Double
    /// The first packet is a keyframe, so the copy can start with a picture.
    public var startsWithKeyframe: Bool
    /// Pictures per second counted from the packets (nil when unknown): a variable frame rate
    /// shows as an average far from the declared rate, and a copy would keep it.
    public var measuredFPS: Double?

    public init(longestGap: Double, startsWithKeyframe: Bool, measuredFPS: Double? = nil) {
        self.longestGap = longestGap
        self.startsWithKeyframe = startsWithKeyframe
        self.measuredFPS = measuredFPS
    }
}
