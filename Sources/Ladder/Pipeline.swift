/// A tier's transcoding recipe, read from `pipelines/<name>.yaml`.
///
/// Keys (YAML, all but `rungs` optional):
/// - `name` (string, default: the file name)
/// - `description` (string)
/// - `rungs` (list of int, min(width, height) of each rendition, largest first)
/// - `maxFps` (int, default 60)
/// - `splitAudio` (bool, default false: audio muxed into every rendition)
/// - `segmentSeconds` (int, default 4) and `keyframeSeconds` (int, default 2)
/// - `video.encoder` (default libx264), `video.preset` (veryfast), `video.bFrames` (16),
///   `video.bStrategy` (1), `video.threadsPerRendition` (0: Sluice decides), `video.tune`,
///   `video.parallelism` (`slices`, or `frames`: see ``VideoSettings/Parallelism``),
///   `video.copyTopRung` (`auto`: copy the source's video into the top rung when ``CopyGate``
///   allows it; `never`)
/// - `audio.encoder` (default aac)
public struct Pipeline: Sendable, Equatable, Codable {
    public var name: String
    public var description: String?
    public var rungs: [Int]
    public var maxFps: Int
    public var splitAudio: Bool
    public var segmentSeconds: Int
    public var keyframeSeconds: Int
    public var video: VideoSettings
    public var audio: AudioSettings

    public struct VideoSettings: Sendable, Equatable, Codable {
        public var encoder: String = "libx264"
        public var preset: String = "veryfast"
        public var bFrames: Int = 16
        public var bStrategy: Int = 1
        public var threadsPerRendition: Int = 0
        public var tune: String?
        public var parallelism: Parallelism = .slices
        public var copyTopRung: CopyMode = .auto

        /// Whether a compliant source's video (and AAC audio) may be copied instead of encoded.
        public enum CopyMode: String, Sendable, Codable, CaseIterable {
            /// Copy whenever ``CopyGate`` allows it, as PeerTube does.
            case auto
            /// Always encode (audio too): every rung made by Sluice's own encoder.
            case never
        }

        /// How a rendition that needs more than one core (the 1080p of a 6-rung ladder on two
        /// cores) is split across threads when Sluice picks the thread counts.
        public enum Parallelism: String, Sendable, Codable, CaseIterable {
            /// x264 slice threads: no more frames in flight than one thread (least memory).
            case slices
            /// x264 frame threads: keeps the cores a little busier (~3 % faster on two cores)
            /// for ~80 MB more at 1080p.
            case frames
        }

        public init() {}
    }

    public struct AudioSettings: Sendable, Equatable, Codable {
        public var encoder: String = "aac"

        public init() {}
    }

    public init(name: String, description: String? = nil, rungs: [Int], maxFps: Int = 60, splitAudio: Bool = false,
                segmentSeconds: Int = 4, keyframeSeconds: Int = 2, video: VideoSettings = .init(),
                audio: AudioSettings = .init()) {
        self.name = name
        self.description = description
        self.rungs = rungs
        self.maxFps = maxFps
        self.splitAudio = splitAudio
        self.segmentSeconds = segmentSeconds
        self.keyframeSeconds = keyframeSeconds
        self.video = video
        self.audio = audio
    }
}
