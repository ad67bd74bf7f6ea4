/// One playlist of a live as PeerTube's live muxer numbers them (runner-live-and-studio.md §1.2):
/// `0.m3u8` is the audio when there is audio, then the videos in the job's order.
public struct LiveVariant: Sendable, Codable, Equatable, Hashable {
    /// The digit of its playlist and chunk names (0 to 9: PeerTube reads one digit).
    public var index: Int
    /// Height asked (min side for PeerTube's rules); 0 for the audio.
    public var resolution: Int
    public var width: Int
    public var height: Int
    public var fps: Int
    /// Peak bits per second, for the master's BANDWIDTH.
    public var bandwidth: Int
    /// RFC 6381 codec string of this variant's stream (`avc1.64001f`, `mp4a.40.2`).
    public var codecs: String

    public init(index: Int, resolution: Int, width: Int = 0, height: Int = 0, fps: Int = 0, bandwidth: Int, codecs: String) {
        self.index = index
        self.resolution = resolution
        self.width = width
        self.height = height
        self.fps = fps
        self.bandwidth = bandwidth
        self.codecs = codecs
    }

    public var isAudio: Bool { resolution == 0 }

    /// `<index>.m3u8`.
    public var playlistName: String { "\(index).m3u8" }

    /// `<index>-<sequence, 6 digits>.ts`: PeerTube's watcher takes the variant from the first
    /// character and the name must match `^[a-z0-9-]+\.ts$`.
    public func chunkName(_ sequence: Int) -> String {
        let digits = String(sequence)
        return "\(index)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".ts"
    }
}
