/// PeerTube's storyboard geometry (`generate-storyboard.ts`: sprites at most 192 px on the long
/// side, at most 11x11, whole-second sprite durations, none for videos under 3 s).
public struct Storyboard: Sendable, Equatable, Codable {
    public static let spriteMaxSize = 192
    public static let maxEdgeCount = 11
    public static let minimumDuration = 3.0

    public var spriteWidth: Int
    public var spriteHeight: Int
    public var spriteDuration: Int
    public var totalSprites: Int
    public var columns: Int
    public var rows: Int

    public var totalWidth: Int { spriteWidth * columns }
    public var totalHeight: Int { spriteHeight * rows }

    /// A layout someone else decided (a PeerTube storyboard job's `sprites`): `count` sprites of
    /// `spriteDuration` seconds at most, on a `columns` x `rows` sheet.
    public init(spriteWidth: Int, spriteHeight: Int, spriteDuration: Int, columns: Int, rows: Int, duration: Double) {
        self.spriteWidth = max(1, spriteWidth)
        self.spriteHeight = max(1, spriteHeight)
        self.spriteDuration = max(1, spriteDuration)
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        let grid = self.columns * self.rows
        let needed = duration / Double(self.spriteDuration)
        totalSprites = needed.isFinite ? min(grid, max(1, Int(needed.rounded(.up)))) : grid
    }

    /// The layout for a video, or nil when it is too short for one.
    public init?(duration: Double, width: Int, height: Int) {
        guard duration >= Self.minimumDuration, width > 0, height > 0 else { return nil }
        let ratio = Double(width) / Double(height)
        if width >= height {
            spriteWidth = Self.spriteMaxSize
            spriteHeight = max(1, Int((Double(Self.spriteMaxSize) / ratio).rounded()))
        } else {
            spriteHeight = Self.spriteMaxSize
            spriteWidth = max(1, Int((Double(Self.spriteMaxSize) * ratio).rounded()))
        }
        let maxSprites = min(Int(duration.rounded(.up)), Self.maxEdgeCount * Self.maxEdgeCount)
        spriteDuration = max(1, Int((duration / Double(maxSprites)).rounded(.up)))
        totalSprites = Int((duration / Double(spriteDuration)).rounded(.up))
        (columns, rows) = Self.grid(for: totalSprites)
    }

    /// The first (rows i, columns j) with i <= j <= 11 and i * j >= count, by increasing i.
    static func grid(for count: Int) -> (columns: Int, rows: Int) {
        for rows in 1...maxEdgeCount {
            for columns in rows...maxEdgeCount where rows * columns >= count {
                return (columns, rows)
            }
        }
        return (maxEdgeCount, maxEdgeCount)
    }

    /// The JSON PeerTube's API describes a storyboard with.
    public func json(fileName: String) -> String {
        "{\"fileName\":\(JSONText.quote(fileName)),\"storyboardPath\":\(JSONText.quote(fileName)),"
            + "\"totalWidth\":\(totalWidth),\"totalHeight\":\(totalHeight),\"spriteWidth\":\(spriteWidth),"
            + "\"spriteHeight\":\(spriteHeight),\"spriteDuration\":\(spriteDuration)}\n"
    }

    /// A WebVTT thumbnails track: one cue per sprite pointing into the sheet with `#xywh`.
    public func webVTT(fileName: String, duration: Double) -> String {
        var lines = ["WEBVTT", ""]
        for index in 0..<totalSprites {
            let start = Double(index * spriteDuration)
            let end = min(Double((index + 1) * spriteDuration), max(duration, start + 0.001))
            let x = (index % columns) * spriteWidth
            let y = (index / columns) * spriteHeight
            lines.append("\(Self.timestamp(start)) --> \(Self.timestamp(end))")
            lines.append("\(fileName)#xywh=\(x),\(y),\(spriteWidth),\(spriteHeight)")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func timestamp(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        return String(format: "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000)
    }
}
