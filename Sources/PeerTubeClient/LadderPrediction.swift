import Ladder

/// The jobs an instance will queue once an optimize job succeeds (runner-protocol.md §7, §12),
/// predicted from its published config, so one pass makes the optimize file and all of them.
public enum LadderPrediction {
    /// PeerTube's cap when its config does not say (`transcoding.fps.max` is not published).
    static let maxFps = 60

    /// One job the instance is expected to queue: its type, resolution and frame rate.
    public struct Expected: Sendable, Equatable, Hashable {
        public var kind: RunnerJob.Kind
        public var resolution: Int
        public var fps: Int
    }

    /// The jobs after `optimize` (a web video at the top resolution), or nil when it is not one.
    /// With split audio (HLS only) they include the resolution-0 audio rendition, and the pass
    /// makes video-only rungs: the web videos get the audio rendition joined back in.
    public static func jobs(after optimize: RunnerJob, config: InstanceConfig) -> [Expected]? {
        guard optimize.kind == .webVideo, optimize.resolution > 0 else { return nil }
        return jobs(top: optimize.resolution, fps: optimize.fps, config: config)
    }

    /// The jobs after an optimize job at `top` and `fps` (what a fresh upload of that size gets).
    public static func jobs(top: Int, fps: Int, config: InstanceConfig) -> [Expected] {
        let lower = Set(config.enabledResolutions.filter { $0 > 0 && $0 < top }).sorted(by: >)
        var expected: [Expected] = []
        if config.hlsEnabled { expected.append(Expected(kind: .hls, resolution: top, fps: fps)) }
        if config.hlsEnabled && config.splitAudio { expected.append(Expected(kind: .hls, resolution: 0, fps: 0)) }
        for resolution in lower {
            let lowerFPS = FrameRateRule.outputFPS(source: fps, resolution: resolution, isTop: false, maxFps: maxFps)
            if config.webVideosEnabled { expected.append(Expected(kind: .webVideo, resolution: resolution, fps: lowerFPS)) }
            if config.hlsEnabled { expected.append(Expected(kind: .hls, resolution: resolution, fps: lowerFPS)) }
        }
        if config.podcastAudio || config.enabledResolutions.contains(0) {
            expected.append(Expected(kind: .webVideo, resolution: 0, fps: 0))
        }
        // With 0p enabled and the audio not split, an audio-only HLS rendition follows the web one.
        if config.hlsEnabled && !config.splitAudio && config.enabledResolutions.contains(0) {
            expected.append(Expected(kind: .hls, resolution: 0, fps: 0))
        }
        return expected
    }

    /// What the pass must make for the optimize job and the predicted ones.
    public static func renditions(for optimize: RunnerJob, expected: [Expected]) -> [RenditionRequest] {
        renditions(top: optimize.resolution, fps: optimize.fps, expected: expected)
    }

    public static func renditions(top: Int, fps: Int, expected: [Expected]) -> [RenditionRequest] {
        var requests = [RenditionRequest(resolution: top, fps: fps)]
        for job in expected {
            let request = RenditionRequest(resolution: job.resolution, fps: job.resolution == 0 ? 0 : job.fps)
            if !requests.contains(request) { requests.append(request) }
        }
        return requests
    }
}
