import Foundation

/// The average colour of a square of a video's picture, read with the ffmpeg CLI: where a
/// watermark, an intro or a letterbox should be.
public struct PictureColor: Equatable, CustomStringConvertible, Sendable {
    public var red: Int
    public var green: Int
    public var blue: Int

    public var description: String { "rgb(\(red), \(green), \(blue))" }

    /// Near pure magenta (0xFF00FF), the tests' watermark colour, which test patterns never show.
    public var isMagenta: Bool { red > 200 && green < 60 && blue > 200 }

    /// The square of side `size` at (`x`, `y`) of the picture shown at `seconds`, averaged.
    public static func average(_ file: String, at seconds: Double, x: Int, y: Int, size: Int, scratch: URL) throws -> PictureColor {
        let pixel = scratch.appendingPathComponent("pixel-\(UUID().uuidString).rgb")
        defer { try? FileManager.default.removeItem(at: pixel) }
        try FFmpegCLI.make(pixel, ["-ss", String(seconds), "-i", file, "-vf", "crop=\(size):\(size):\(x):\(y),scale=1:1",
                                   "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24"])
        let bytes = [UInt8](try Data(contentsOf: pixel))
        guard bytes.count >= 3 else { throw FFmpegCLI.Failure(description: "no picture at \(seconds) s of \(file)") }
        return PictureColor(red: Int(bytes[0]), green: Int(bytes[1]), blue: Int(bytes[2]))
    }
}
