import PeerTubeClient
import Foundation
import Ladder
import Testing
@testable import Runner
@testable import PeerTubeClient

/// Which jobs an instance will queue after an optimize job, from its published config (pure rules).
@Suite struct LadderPredictionTests {
    typealias Expected = LadderPrediction.Expected

    func optimize(_ resolution: Int, fps: Int) -> RunnerJob {
        RunnerJob(uuid: "job", kind: .webVideo, inputURL: "http://i/api/v1/runners/jobs/job/files/videos/v/max-quality",
                  videoUUID: "v", resolution: resolution, fps: fps, separatedAudio: false)
    }

    func config(_ resolutions: [Int], web: Bool = false, split: Bool = false, podcast: Bool = true) -> InstanceConfig {
        InstanceConfig(hlsEnabled: true, splitAudio: split, webVideosEnabled: web, enabledResolutions: resolutions, podcastAudio: podcast)
    }

    @Test func hlsOnlyLowerRungsBelow720HalveSixtyFps() throws {
        let jobs = try #require(LadderPrediction.jobs(after: optimize(1080, fps: 60), config: config([144, 240, 360, 480, 720, 1080, 1440])))
        #expect(jobs == [Expected(kind: .hls, resolution: 1080, fps: 60), Expected(kind: .hls, resolution: 720, fps: 60),
                         Expected(kind: .hls, resolution: 480, fps: 30), Expected(kind: .hls, resolution: 360, fps: 30),
                         Expected(kind: .hls, resolution: 240, fps: 30), Expected(kind: .hls, resolution: 144, fps: 30),
                         Expected(kind: .webVideo, resolution: 0, fps: 0)])
        let renditions = LadderPrediction.renditions(for: optimize(1080, fps: 60), expected: jobs)
        #expect(renditions.map(\.resolution) == [1080, 720, 480, 360, 240, 144, 0], "the top HLS rung is the optimize encode")
    }

    @Test func webVideosAddAWebJobPerLowerResolution() throws {
        let jobs = try #require(LadderPrediction.jobs(after: optimize(720, fps: 25), config: config([240, 480], web: true, podcast: false)))
        #expect(jobs == [Expected(kind: .hls, resolution: 720, fps: 25),
                         Expected(kind: .webVideo, resolution: 480, fps: 25), Expected(kind: .hls, resolution: 480, fps: 25),
                         Expected(kind: .webVideo, resolution: 240, fps: 25), Expected(kind: .hls, resolution: 240, fps: 25)])
    }

    @Test func splitAudioAddsTheAudioRendition() throws {
        let jobs = try #require(LadderPrediction.jobs(after: optimize(360, fps: 25), config: config([240], split: true)))
        #expect(jobs.contains(Expected(kind: .hls, resolution: 0, fps: 0)))
        #expect(jobs.contains(Expected(kind: .webVideo, resolution: 0, fps: 0)))
    }

    @Test func zeroPEnabledWithoutSplitAddsTheAudioOnlyHLSJob() throws {
        let jobs = try #require(LadderPrediction.jobs(after: optimize(360, fps: 25), config: config([0, 240])))
        #expect(jobs.suffix(2) == [Expected(kind: .webVideo, resolution: 0, fps: 0), Expected(kind: .hls, resolution: 0, fps: 0)])
    }

    @Test func onlyAnOptimizeWebVideoPredictsAnything() {
        let hls = RunnerJob(uuid: "j", kind: .hls, inputURL: "", videoUUID: "v", resolution: 720, fps: 25, separatedAudio: false)
        #expect(LadderPrediction.jobs(after: hls, config: config([480])) == nil)
        #expect(LadderPrediction.jobs(after: optimize(0, fps: 0), config: config([480])) == nil)
    }

    @Test func theConfigIsReadFromPeerTubesDocument() throws {
        let document = """
        {"instance": {"name": "tube"}, "transcoding": {"hls": {"enabled": true, "splitAudioAndVideo": false},
         "web_videos": {"enabled": false}, "enabledResolutions": [0, 144, 240, 360, 480, 720, 1080],
         "alwaysTranscodeOriginalResolution": true, "alwaysTranscodePodcastOptimizedAudio": true,
         "remoteRunners": {"enabled": true}, "profile": "default"}}
        """
        let json = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        #expect(InstanceConfig(json: json) == InstanceConfig(hlsEnabled: true, splitAudio: false, webVideosEnabled: false,
                                                             enabledResolutions: [0, 144, 240, 360, 480, 720, 1080], podcastAudio: true))
        #expect(InstanceConfig(json: ["serverVersion": "8.2.1"]) == nil, "no transcoding section: no prediction")
    }
}
