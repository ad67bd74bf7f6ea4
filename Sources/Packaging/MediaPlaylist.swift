import Foundation

/// A VOD media playlist for one single-file fMP4 rendition, as FFmpeg's HLS muxer writes it
/// for PeerTube: version 7, the init segment as a byte-range EXT-X-MAP, and an explicit
/// `EXT-X-BYTERANGE:len@offset` before every segment, with bare file names.
public struct MediaPlaylist: Sendable, Equatable {
    public var fileName: String
    public var initLength: Int64
    public var segments: [Segment]

    public init(fileName: String, initLength: Int64, segments: [Segment]) {
        self.fileName = fileName
        self.initLength = initLength
        self.segments = segments
    }

    /// The smallest whole number of seconds not below any segment's duration (RFC 8216 4.3.3.1:
    /// each EXTINF rounded to the nearest integer must not exceed it).
    public var targetDuration: Int {
        let longest = segments.map(\.duration).max() ?? 0
        return max(1, Int((longest - 0.0005).rounded(.up)))
    }

    public func render() -> String {
        var lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:7",
            "#EXT-X-TARGETDURATION:\(targetDuration)",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            "#EXT-X-MAP:URI=\"\(fileName)\",BYTERANGE=\"\(initLength)@0\"",
        ]
        for segment in segments {
            lines.append("#EXTINF:\(String(format: "%.6f", segment.duration)),")
            lines.append("#EXT-X-BYTERANGE:\(segment.length)@\(segment.offset)")
            lines.append(fileName)
        }
        lines.append("#EXT-X-ENDLIST")
        return lines.joined(separator: "\n") + "\n"
    }
}
