import Foundation

/// What the test instance received of one live (runner-live-and-studio.md §1.3-1.4): the chunks
/// stored as PeerTube's output directory would hold them, each playlist's latest text, the
/// master, and every rule a chunk update broke.
struct FakeLive: Sendable {
    struct Chunk: Sendable {
        var file: URL
        var receivedAt: Date
        var removed = false
    }

    var directory: URL
    var segmentListSize: Int
    var chunks: [String: Chunk] = [:]
    /// Chunk names in the order they arrived.
    var order: [String] = []
    var playlists: [String: String] = [:]
    var master: String?
    /// When the master first arrived.
    var masterAt: Date?
    /// The last media sequence of each playlist (it never goes down).
    var sequences: [String: Int] = [:]
    var violations: [String] = []
    var successAt: Date?

    /// Checks a playlist against what was received: only chunks uploaded and not removed, the
    /// media sequence of its first entry and never going down, at most `segmentListSize` entries,
    /// a target duration no shorter than any rounded EXTINF, a program date on each entry.
    mutating func checkPlaylist(_ name: String, _ text: String) {
        let lines = text.split(separator: "\n").map(String.init)
        let entries = lines.filter { !$0.hasPrefix("#") && !$0.isEmpty }
        for entry in entries where chunks[entry] == nil || chunks[entry]?.removed == true {
            violations.append("\(name) lists \(entry), not uploaded or removed")
        }
        if entries.count > segmentListSize { violations.append("\(name) lists \(entries.count) chunks") }
        let sequence = lines.first { $0.hasPrefix("#EXT-X-MEDIA-SEQUENCE:") }.flatMap { Int($0.dropFirst(22)) } ?? -1
        if let first = entries.first, let number = Int(first.split(separator: "-").last?.dropLast(3) ?? ""), number != sequence {
            violations.append("\(name): media sequence \(sequence) but first entry \(first)")
        }
        if sequence < (sequences[name] ?? 0) { violations.append("\(name): media sequence went down") }
        sequences[name] = sequence
        let target = lines.first { $0.hasPrefix("#EXT-X-TARGETDURATION:") }.flatMap { Int($0.dropFirst(22)) } ?? 0
        let longest = lines.filter { $0.hasPrefix("#EXTINF:") }.compactMap { Double($0.dropFirst(8).split(separator: ",").first ?? "") }.max() ?? 0
        if Double(target) < longest.rounded() { violations.append("\(name): target \(target) under \(longest)") }
        if lines.filter({ $0.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") }).count != entries.count {
            violations.append("\(name): an entry without its program date")
        }
        playlists[name] = text
    }

    /// The master may only name playlists that exist.
    mutating func checkMaster(_ text: String) {
        for line in text.split(separator: "\n") where line.hasSuffix(".m3u8") && playlists[String(line)] == nil {
            violations.append("master names \(line) before it exists")
        }
        if let range = text.range(of: #"URI="\d\.m3u8""#, options: .regularExpression) {
            let uri = String(text[range].dropFirst(5).dropLast())
            if playlists[uri] == nil { violations.append("master's audio group names \(uri) before it exists") }
        }
        if master == nil { masterAt = Date() }
        master = text
    }
}
