import Foundation

/// The transcoding settings an instance publishes (`GET /api/v1/config`, public): what its job
/// builder will ask for after the optimize job, so the whole ladder can be made in that one pass.
public struct InstanceConfig: Sendable, Equatable {
    public var hlsEnabled: Bool
    public var splitAudio: Bool
    public var webVideosEnabled: Bool
    /// `transcoding.enabledResolutions` (0 is the audio-only file).
    public var enabledResolutions: [Int]
    /// [8.1+] a resolution-0 web video (podcast audio) is made for every upload with audio.
    public var podcastAudio: Bool

    public init(hlsEnabled: Bool, splitAudio: Bool, webVideosEnabled: Bool, enabledResolutions: [Int], podcastAudio: Bool) {
        self.hlsEnabled = hlsEnabled
        self.splitAudio = splitAudio
        self.webVideosEnabled = webVideosEnabled
        self.enabledResolutions = enabledResolutions
        self.podcastAudio = podcastAudio
    }

    /// Reads `transcoding` from the config document; nil when it is not there.
    public init?(json: [String: Any]) {
        guard let transcoding = json["transcoding"] as? [String: Any],
              let resolutions = transcoding["enabledResolutions"] as? [Int] else { return nil }
        let hls = transcoding["hls"] as? [String: Any]
        let web = (transcoding["web_videos"] ?? transcoding["webVideos"]) as? [String: Any]
        self.init(hlsEnabled: hls?["enabled"] as? Bool ?? false, splitAudio: hls?["splitAudioAndVideo"] as? Bool ?? false,
                  webVideosEnabled: web?["enabled"] as? Bool ?? false, enabledResolutions: resolutions,
                  podcastAudio: transcoding["alwaysTranscodePodcastOptimizedAudio"] as? Bool ?? false)
    }

    /// Fetches it; nil when the instance does not answer with one (the runner then makes each
    /// video in two passes instead of one).
    public static func fetch(instance: String) async -> InstanceConfig? {
        guard let answer = try? await InstanceHTTP().get("\(InstanceURL.normalized(instance))/api/v1/config"),
              answer.status == 200,
              let object = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] else { return nil }
        return InstanceConfig(json: object)
    }
}
