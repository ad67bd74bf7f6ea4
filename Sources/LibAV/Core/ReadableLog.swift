/// The log lines worth showing with a failure: the ones that explain it (errors, the demuxer's
/// words), not the same warning twenty times. A reason file whose last lines were seventeen
/// copies of swscale's "deprecated pixel format used" hid the one that mattered.
public enum ReadableLog {
    /// Lines that never explain a failure.
    static let noise = ["deprecated pixel format used", "No accelerated colorspace conversion found"]

    /// `lines` without noise, each repeated line kept once (where it last appeared, marked with
    /// how often it came), the last `limit` of them.
    public static func lines(_ lines: [String], limit: Int = 20) -> [String] {
        var counts: [String: Int] = [:]
        var lastIndex: [String: Int] = [:]
        var firstText: [String: String] = [:]
        for (index, line) in lines.enumerated() where !noise.contains(where: line.contains) {
            let key = normalized(line)
            counts[key, default: 0] += 1
            lastIndex[key] = index
            if firstText[key] == nil { firstText[key] = line }
        }
        let kept = lastIndex.sorted { $0.value < $1.value }.map { key, _ -> String in
            let text = firstText[key] ?? key
            let count = counts[key] ?? 1
            return count > 1 ? "\(text) (\(count) times)" : text
        }
        return Array(kept.suffix(limit))
    }

    /// The line without what differs between repeats: FFmpeg's context addresses (`@ 0x55d1...`).
    static func normalized(_ line: String) -> String {
        var result = ""
        var rest = Substring(line)
        while let range = rest.range(of: "@ 0x") {
            result += rest[..<range.lowerBound] + "@ 0x"
            rest = rest[range.upperBound...].drop { $0.isHexDigit }
        }
        return result + rest
    }
}
