import Foundation

/// The playlists of a live as its chunks come: each variant's sliding window of at most
/// `windowSize` chunks, and the master once every variant has a chunk. Written as ffmpeg's HLS
/// muxer writes them for PeerTube (`independent_segments+program_date_time`, MPEG-TS chunks).
public struct LivePlaylists: Sendable {
    public let windowSize: Int
    /// Seconds per chunk asked; the target duration is never below it.
    public let segmentDuration: Int
    /// How many variants the live has: the master waits for all of them (0: as the chunks say).
    public private(set) var variantCount: Int
    private var windows: [Int: [LiveChunk]] = [:]
    private var ended: Set<Int> = []
    private var variants: [Int: LiveVariant] = [:]

    public init(windowSize: Int, segmentDuration: Int, variantCount: Int) {
        self.windowSize = max(windowSize, 1)
        self.segmentDuration = segmentDuration
        self.variantCount = variantCount
    }

    /// Adds a chunk to its variant's playlist; returns the chunks that left the window (to remove).
    public mutating func add(_ chunk: LiveChunk) -> [LiveChunk] {
        let index = chunk.variant.index
        variants[index] = chunk.variant
        variantCount = max(variantCount, chunk.variantCount)
        windows[index, default: []].append(chunk)
        if chunk.isLast { ended.insert(index) }
        let overflow = max(0, (windows[index]?.count ?? 0) - windowSize)
        guard overflow > 0 else { return [] }
        let removed = Array(windows[index]?.prefix(overflow) ?? [])
        windows[index]?.removeFirst(overflow)
        return removed
    }

    /// Every variant has a playlist: the master may go out.
    public var allCreated: Bool { variantCount > 0 && variants.count >= variantCount }

    /// A variant's playlist as it stands (its last chunk is the newest sent).
    public func mediaPlaylist(variant index: Int) -> String {
        let chunks = windows[index] ?? []
        let target = max(segmentDuration, Int((chunks.map(\.duration).max() ?? 0).rounded(.up)))
        var lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:\(target)",
                     "#EXT-X-MEDIA-SEQUENCE:\(chunks.first?.sequence ?? 0)", "#EXT-X-INDEPENDENT-SEGMENTS"]
        for chunk in chunks {
            lines.append("#EXT-X-PROGRAM-DATE-TIME:" + Self.programDate(chunk.programDate))
            lines.append("#EXTINF:" + String(format: "%.6f", chunk.duration) + ",")
            lines.append(chunk.name)
        }
        if ended.contains(index) { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The master: the audio group (`0.m3u8`) when there is audio, then each video variant.
    public func master() -> String {
        let ordered = variants.values.sorted { $0.index < $1.index }
        let audio = ordered.first { $0.isAudio }
        var lines = ["#EXTM3U", "#EXT-X-VERSION:6"]
        if let audio, ordered.contains(where: { !$0.isAudio }) {
            lines.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"group_Audio\",NAME=\"audio_0\",DEFAULT=YES,URI=\"\(audio.playlistName)\"")
        }
        for variant in ordered where !variant.isAudio {
            var attributes = "BANDWIDTH=\(variant.bandwidth + (audio?.bandwidth ?? 0)),RESOLUTION=\(variant.width)x\(variant.height)"
            attributes += ",FRAME-RATE=\(variant.fps)"
            attributes += ",CODECS=\"\(variant.codecs)" + (audio.map { ",\($0.codecs)\",AUDIO=\"group_Audio\"" } ?? "\"")
            lines.append("#EXT-X-STREAM-INF:" + attributes)
            lines.append(variant.playlistName)
        }
        if let audio, !ordered.contains(where: { !$0.isAudio }) {
            lines.append("#EXT-X-STREAM-INF:BANDWIDTH=\(audio.bandwidth),CODECS=\"\(audio.codecs)\"")
            lines.append(audio.playlistName)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2026-12-04T15:00:00.000+0000`, as ffmpeg writes it.
    static func programDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return formatter.string(from: date)
    }
}
