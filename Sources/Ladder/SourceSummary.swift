/// The facts about a source that the ladder rules need, independent of FFmpeg.
public struct SourceSummary: Sendable, Equatable, Codable {
    /// Displayed width and height (after rotation); nil without a picture stream.
    public var width: Int?
    public var height: Int?
    /// avg_frame_rate, else r_frame_rate.
    public var framesPerSecond: Double?
    /// Container bit rate (`format.bit_rate`), bits per second.
    public var bitRate: Int?
    public var duration: Double
    public var audio: AudioSource?
    /// Size of the cover art of an audio file, when it has one.
    public var coverArt: CoverArt?
    /// What decides whether the video can be stream-copied (``CopyGate``); nil without video.
    public var video: VideoSource?

    public struct AudioSource: Sendable, Equatable, Codable {
        public var codec: String
        public var bitRate: Int?
        public var sampleRate: Int
        public var channels: Int
        /// e.g. `LC` or `HE-AAC` for AAC.
        public var profile: String?
        /// e.g. `stereo`, `5.1(side)`; nil or `unknown` when the file does not say.
        public var channelLayout: String?
        /// AAC with its AudioSpecificConfig in the container (MP4, Matroska), which MP4 needs;
        /// false for ADTS (MPEG-TS, raw .aac), whose headers are in every packet.
        public var hasDecoderConfig: Bool = true

        public init(codec: String, bitRate: Int?, sampleRate: Int, channels: Int, profile: String? = nil,
                    channelLayout: String? = nil) {
            self.codec = codec
            self.bitRate = bitRate
            self.sampleRate = sampleRate
            self.channels = channels
            self.profile = profile
            self.channelLayout = channelLayout
        }
    }

    public struct CoverArt: Sendable, Equatable, Codable {
        public var width: Int
        public var height: Int

        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    public init(width: Int?, height: Int?, framesPerSecond: Double?, bitRate: Int?, duration: Double,
                audio: AudioSource?, coverArt: CoverArt? = nil, video: VideoSource? = nil) {
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
        self.bitRate = bitRate
        self.duration = duration
        self.audio = audio
        self.coverArt = coverArt
        self.video = video
    }

    public var hasVideo: Bool { width != nil && height != nil }

    /// PeerTube's "resolution": min(width, height) of the displayed picture.
    public var resolution: Int? {
        guard let width, let height else { return nil }
        return min(width, height)
    }
}
