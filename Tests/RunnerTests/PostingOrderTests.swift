import Testing
@testable import Runner
@testable import PeerTubeClient

/// The order a batch's results are posted in (pure rule).
@Suite struct PostingOrderTests {
    @Test func resultsArePostedInTheOrderThatPublishesTheVideo() {
        func member(_ kind: RunnerJob.Kind, _ resolution: Int) -> VideoBatch.Member {
            let job = RunnerJob(uuid: "\(kind.rawValue)-\(resolution)", kind: kind, inputURL: "", videoUUID: "v", resolution: resolution,
                                fps: resolution == 0 ? 0 : 25, separatedAudio: false)
            return VideoBatch.Member(job: job, held: HeldJob(instance: "i", uuid: job.uuid, runnerToken: "r", jobToken: "t"))
        }
        let members = [member(.webVideo, 0), member(.hls, 240), member(.hls, 0), member(.storyboard, 0), member(.hls, 720),
                       member(.webVideo, 720), member(.hls, 480)]
        #expect(JobReporter.postingOrder(members).map(\.job.uuid) == [
            "generate-video-storyboard-0", "vod-web-video-transcoding-720", "vod-hls-transcoding-720", "vod-hls-transcoding-0",
            "vod-hls-transcoding-480", "vod-hls-transcoding-240", "vod-web-video-transcoding-0"])
    }
}
