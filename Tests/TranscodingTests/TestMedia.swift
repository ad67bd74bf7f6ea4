import Foundation
import TestSupport

/// Media made at test time with the ffmpeg CLI's lavfi sources (no binaries in the repository,
/// nothing read from outside it).
enum TestMedia {
    /// One folder per test process for the media and every output folder, removed when the
    /// process exits so repeated runs leave nothing in the temporary directory.
    static let folder = ScratchFolder.make("sluice-test-media")

    /// Makes `name` with `ffmpeg -y <arguments> <file>` once per test run and returns its URL.
    static func make(_ name: String, _ arguments: [String]) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FFmpegCLI.makeOnce(url, arguments)
        return url
    }

    static func testPattern(size: String, rate: String = "25", seconds: Double, audio: Bool = true,
                            extra: [String] = []) -> [String] {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate)"]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] }
        arguments += ["-t", String(seconds), "-c:v", "libx264", "-preset", "ultrafast"]
        if audio { arguments += ["-c:a", "aac"] }
        return arguments + extra
    }

    /// A fresh, empty output folder.
    static func outputFolder() throws -> URL {
        let url = folder.appendingPathComponent("out-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
