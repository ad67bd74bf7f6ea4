import Foundation

/// The ffmpeg CLI, which the tests use to make their media at test time from lavfi sources (no
/// media files in the repository, nothing read from outside it).
public enum FFmpegCLI {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Makes `output` unless it exists, writing to a private name and renaming it into place, so
    /// tests running at once that ask for the same medium never read a half-written file (one of
    /// them saw "moov atom not found" when they shared the name while it was being written).
    public static func makeOnce(_ output: URL, _ arguments: [String]) throws {
        if FileManager.default.fileExists(atPath: output.path) { return }
        let draft = output.deletingLastPathComponent()
            .appendingPathComponent(".draft-\(UUID().uuidString)-\(output.lastPathComponent)")
        try make(draft, arguments)
        guard rename(draft.path, output.path) == 0 else {
            try? FileManager.default.removeItem(at: draft)
            throw Failure(description: "cannot move \(draft.lastPathComponent) into place: errno \(errno)")
        }
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
