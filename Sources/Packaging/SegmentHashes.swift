import Crypto
import Foundation

/// `<uuid>-segments-sha256.json` (peertube-format.md section 2): for every fMP4 file, the
/// SHA-256 of each segment's byte range keyed `"<start>-<end>"` (inclusive end). The init
/// segment is not hashed. The player rejects segments whose hash differs, so these are
/// computed from the bytes on disk.
public struct SegmentHashes: Sendable, Equatable {
    /// File name -> (range key, lowercase hex hash), in playlist order.
    public var files: [(name: String, ranges: [(key: String, sha256: String)])]

    public init(files: [(name: String, ranges: [(key: String, sha256: String)])]) {
        self.files = files
    }

    public static func == (lhs: SegmentHashes, rhs: SegmentHashes) -> Bool {
        lhs.render() == rhs.render()
    }

    /// Hashes every segment of `playlist` in the file at `url`, reading one segment at a time.
    public static func hash(file url: URL, segments: [Segment]) throws -> [(key: String, sha256: String)] {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return try segments.map { segment in
            try handle.seek(toOffset: UInt64(segment.offset))
            var hasher = SHA256()
            var remaining = Int(segment.length)
            while remaining > 0 {
                guard let chunk = try handle.read(upToCount: min(remaining, 1 << 20)), !chunk.isEmpty else {
                    throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
                }
                hasher.update(data: chunk)
                remaining -= chunk.count
            }
            return (key: "\(segment.offset)-\(segment.lastByte)", sha256: hasher.finalize().hexString)
        }
    }

    /// Compact JSON, as PeerTube writes it (`JSON.stringify`), keys in playlist order.
    public func render() -> String {
        let body = files.map { file in
            let ranges = file.ranges.map { "\(JSONText.quote($0.key)):\(JSONText.quote($0.sha256))" }.joined(separator: ",")
            return "\(JSONText.quote(file.name)):{\(ranges)}"
        }.joined(separator: ",")
        return "{\(body)}"
    }
}

/// JSON string quoting for hand-written JSON whose key order matters.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
