import PeerTubeClient
import Ladder
import Testing
@testable import PeerTubeClient
@testable import Runner

/// A predicted optimize pass is split so that what publishes the video goes first.
@Suite struct PublishingFirstTests {
    let top = RenditionRequest(resolution: 1080, fps: 25)
    let audio = RenditionRequest(resolution: 0, fps: 0)

    func expected(_ kind: RunnerJob.Kind, _ resolution: Int) -> LadderPrediction.Expected {
        LadderPrediction.Expected(kind: kind, resolution: resolution, fps: resolution == 0 ? 0 : 25)
    }

    @Test func theTopRungGoesAloneWithoutImagesAndTheRestFollows() throws {
        let plan = PassPlan(renditions: [top, RenditionRequest(resolution: 720, fps: 25), RenditionRequest(resolution: 480, fps: 25), audio],
                            splitAudio: false, ahead: true,
                            expected: [expected(.hls, 1080), expected(.hls, 720), expected(.hls, 480), expected(.webVideo, 0)], images: true)
        let split = try #require(plan.publishingFirst(top: top))
        #expect(split.first.renditions == [top])
        #expect(split.first.expected == [expected(.hls, 1080)])
        #expect(!split.first.images, "no thumbnails: a copied top rung then decodes nothing")
        #expect(split.rest.renditions == [RenditionRequest(resolution: 720, fps: 25), RenditionRequest(resolution: 480, fps: 25), audio])
        #expect(split.rest.expected == [expected(.hls, 720), expected(.hls, 480), expected(.webVideo, 0)])
        #expect(split.rest.images, "a storyboard job is made with the rest")
    }

    @Test func withSplitAudioBothPassesHaveTheAudioRendition() throws {
        let plan = PassPlan(renditions: [top, audio, RenditionRequest(resolution: 720, fps: 25)], splitAudio: true, ahead: true,
                            expected: [expected(.hls, 1080), expected(.hls, 0), expected(.hls, 720), expected(.webVideo, 0)])
        let split = try #require(plan.publishingFirst(top: top))
        #expect(split.first.renditions == [top, audio])
        #expect(split.first.expected == [expected(.hls, 1080), expected(.hls, 0)], "the top rung needs its audio rung to play")
        #expect(split.rest.renditions == [RenditionRequest(resolution: 720, fps: 25), audio])
        #expect(split.rest.expected == [expected(.hls, 720), expected(.webVideo, 0)])
    }

    @Test func nothingToSplitWithoutAPredictionOrALadder() {
        #expect(PassPlan(renditions: [top], splitAudio: false, ahead: true).publishingFirst(top: top) == nil)
        #expect(PassPlan(renditions: [top, audio], splitAudio: false, ahead: false).publishingFirst(top: top) == nil)
    }
}
