import PeerTubeClient
import Ladder

/// What one pass makes: the renditions, whether the audio is a rendition of its own (video-only
/// rungs), and whether they were predicted ahead for jobs the instance has not queued yet.
struct PassPlan: Sendable, Equatable {
    var renditions: [RenditionRequest]
    var splitAudio: Bool
    var ahead: Bool
    /// The jobs predicted ahead (empty unless `ahead`).
    var expected: [LadderPrediction.Expected] = []
    /// Whether the pass makes the images (a storyboard job needs them; the renditions do not).
    var images = true

    /// An optimize pass made ahead, split so that the video is published first: a pass of only
    /// what publishes it (the top rung, and with split audio the audio rendition; copied when
    /// the source allows, then nothing is decoded), then one decode for the rest of the ladder.
    /// PeerTube publishes a video when the top HLS job completes, which the optimize job's
    /// success releases: the uploader waits for the top rung, not for the whole ladder. Nil when
    /// there is nothing to split.
    func publishingFirst(top: RenditionRequest) -> (first: PassPlan, rest: PassPlan)? {
        let audio = RenditionRequest(resolution: 0, fps: 0)
        let sharedAudio = splitAudio && renditions.contains(audio) ? [audio] : []
        let rest = renditions.filter { $0 != top && !($0 == audio && splitAudio) }
        guard ahead, renditions.contains(top), !rest.isEmpty else { return nil }
        let publishes = expected.filter { $0.kind == .hls && ($0.resolution == top.resolution || ($0.resolution == 0 && splitAudio)) }
        let first = PassPlan(renditions: [top] + sharedAudio, splitAudio: splitAudio, ahead: true, expected: publishes, images: false)
        // With split audio the web videos of the rest are joined with the audio rendition: it is made again
        // (copied or one cheap encode) so each pass's outputs stand alone.
        let second = PassPlan(renditions: rest + sharedAudio, splitAudio: splitAudio, ahead: true,
                              expected: expected.filter { !publishes.contains($0) }, images: images)
        return (first, second)
    }
}
