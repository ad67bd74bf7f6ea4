/// One media segment of a single-file rendition: a byte range and its duration.
public struct Segment: Sendable, Equatable, Codable {
    public var duration: Double
    public var offset: Int64
    public var length: Int64

    public init(duration: Double, offset: Int64, length: Int64) {
        self.duration = duration
        self.offset = offset
        self.length = length
    }

    /// Inclusive last byte, as p2p-media-loader and `segments-sha256.json` count it.
    public var lastByte: Int64 { offset + length - 1 }
}
