import Ladder

/// What one pass makes: the renditions, whether the audio is a rendition of its own (video-only
/// rungs), and whether they were predicted ahead for jobs the instance has not queued yet.
struct PassPlan: Sendable {
    var renditions: [RenditionRequest]
    var splitAudio: Bool
    var ahead: Bool
    /// The jobs predicted ahead (empty unless `ahead`).
    var expected: [LadderPrediction.Expected] = []
}
