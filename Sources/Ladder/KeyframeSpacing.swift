/// How a source's keyframes are spaced: a copied rung can only cut its segments on them.
public struct KeyframeSpacing: Sendable, Equatable, Codable {
    /// The longest stretch without a keyframe, seconds (the tail after the last one included).
    public var longestGap: Double
    /// The first packet is a keyframe, so the copy can start with a picture.
    public var startsWithKeyframe: Bool

    public init(longestGap: Double, startsWithKeyframe: Bool) {
        self.longestGap = longestGap
        self.startsWithKeyframe = startsWithKeyframe
    }
}
