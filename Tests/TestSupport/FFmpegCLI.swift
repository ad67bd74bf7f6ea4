import Foundation

/// The ffmpeg CLI, which the tests use to make their media at test time from lavfi sources (no
/// media files in the repository, nothing read from outside it).
public enum FFmpegCLI {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `ffmpeg -v error -nostdin -y <arguments> <output>`; a failure carries ffmpeg's own words.
    public static func make(_ output: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-nostdin", "-y"] + arguments + [output.path]
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start ffmpeg (\(error)); is the ffmpeg package installed (make deps)?")
        }
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "ffmpeg could not make \(output.lastPathComponent): \(complaint)")
        }
    }
}
