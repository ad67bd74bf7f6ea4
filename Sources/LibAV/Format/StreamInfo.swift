/// What one stream of a container holds, read once when the input is opened.
public struct StreamInfo: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case video, audio, subtitle, data, attachment, unknown }

    public var index: Int
    public var kind: Kind
    public var codec: String
    public var codecLongName: String?
    public var profile: String?
    public var bitRate: Int64?
    public var duration: Double?
    public var startTime: Double?
    public var frameCount: Int64?
    public var timeBase: Rational
    public var language: String?
    /// Disposition flags that are set, e.g. `default`, `attached_pic`, `forced`.
    public var disposition: [String]

    // Video
    public var width: Int?
    public var height: Int?
    public var pixelFormat: String?
    public var bitDepth: Int?
    /// Chroma subsampling as 420, 422 or 444 (nil for RGB or unknown).
    public var chromaSubsampling: Int?
    /// Clockwise rotation in degrees from the display matrix: 0, 90, 180 or 270.
    public var rotation: Int?
    public var averageFrameRate: Rational?
    public var realFrameRate: Rational?
    public var sampleAspectRatio: Rational?
    public var fieldOrder: String?
    public var colorTransfer: String?
    public var colorPrimaries: String?
    public var colorSpace: String?
    public var colorRange: String?

    // Audio
    public var sampleRate: Int?
    public var channels: Int?
    public var channelLayout: String?
    public var sampleFormat: String?

    public var isDefault: Bool { disposition.contains("default") }
    public var isAttachedPicture: Bool { disposition.contains("attached_pic") }

    /// Width and height as shown, after the rotation is applied.
    public var displaySize: (width: Int, height: Int)? {
        guard let width, let height else { return nil }
        return (rotation ?? 0) % 180 == 90 ? (height, width) : (width, height)
    }

    /// Frames per second: the average rate, else the real base rate (as ffprobe reports them).
    public var framesPerSecond: Double? {
        averageFrameRate?.doubleValue ?? realFrameRate?.doubleValue
    }

    /// PQ (SMPTE ST 2084) or HLG (ARIB STD-B67) transfer: needs tone mapping for SDR H.264.
    public var isHDR: Bool { colorTransfer == "smpte2084" || colorTransfer == "arib-std-b67" }

    /// Interlaced field order as ffprobe names it: tt, bb, tb, bt.
    public var isInterlaced: Bool { ["tt", "bb", "tb", "bt"].contains(fieldOrder ?? "") }
}
