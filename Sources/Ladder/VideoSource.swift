/// The facts about a source's video stream that decide whether its packets can go into the top
/// rung unchanged (``CopyGate``).
public struct VideoSource: Sendable, Equatable, Codable {
    /// FFmpeg's codec name, e.g. `h264`.
    public var codec: String
    /// e.g. `High`, `Main`, `Constrained Baseline`, `High 10`.
    public var profile: String?
    /// FFmpeg's pixel format name, e.g. `yuv420p`.
    public var pixelFormat: String?
    /// Clockwise degrees the picture must be turned to be upright.
    public var rotation: Int
    public var isInterlaced: Bool
    /// The HDR transfer (`smpte2084`, `arib-std-b67`), nil for SDR.
    public var hdrTransfer: String?
    /// Sample aspect ratio as `num:den`, nil when square or unset.
    public var nonSquarePixels: String?
    /// H.264 stored with length-prefixed NAL units (avcC, as MP4 and Matroska do), which is
    /// what fragmented MP4 carries; false for Annex B (MPEG-TS, raw streams).
    public var isLengthPrefixed: Bool
    /// Where the keyframes are; nil until they were looked up (only done when everything else
    /// allows a copy).
    public var keyframes: KeyframeSpacing?

    public init(codec: String, profile: String?, pixelFormat: String?, rotation: Int = 0, isInterlaced: Bool = false,
                hdrTransfer: String? = nil, nonSquarePixels: String? = nil, isLengthPrefixed: Bool = true,
                keyframes: KeyframeSpacing? = nil) {
        self.codec = codec
        self.profile = profile
        self.pixelFormat = pixelFormat
        self.rotation = rotation
        self.isInterlaced = isInterlaced
        self.hdrTransfer = hdrTransfer
        self.nonSquarePixels = nonSquarePixels
        self.isLengthPrefixed = isLengthPrefixed
        self.keyframes = keyframes
    }
}
