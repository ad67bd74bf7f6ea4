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

    public struct AudioSource: Sendable, Equatable, Codable {
        public var codec: String
        public var bitRate: Int?
        public var sampleRate: Int
        public var channels: Int

        public init(codec: String, bitRate: Int?, sampleRate: Int, channels: Int) {
            self.codec = codec
            self.bitRate = bitRate
            self.sampleRate = sampleRate
            self.channels = channels
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
                audio: AudioSource?, coverArt: CoverArt? = nil) {
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
        self.bitRate = bitRate
        self.duration = duration
        self.audio = audio
        self.coverArt = coverArt
    }

    public var hasVideo: Bool { width != nil && height != nil }

    /// PeerTube's "resolution": min(width, height) of the displayed picture.
    public var resolution: Int? {
        guard let width, let height else { return nil }
        return min(width, height)
    }
}
