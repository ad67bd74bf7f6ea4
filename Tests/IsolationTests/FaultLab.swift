import Foundation
import TestSupport
import Jobs
import Testing

/// What the isolation tests need from outside Swift, all made at test time: the built `sluice`
/// executable (the child every job runs in), the fault-injection shim compiled from
/// Fixtures/fault-shim.c, and short clips whose names carry the shim's fault markers.
enum FaultLab {
    /// One folder per test process, removed at exit.
    static let folder = ScratchFolder.make("sluice-isolation-tests")

    /// The `sluice` executable built beside this test bundle (the test target depends on it).
    static var sluice: URL {
        get throws {
            let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                             ?? CommandLine.arguments[0])
            let url = bundle.deletingLastPathComponent().appendingPathComponent("sluice")
            try #require(FileManager.default.isExecutableFile(atPath: url.path), "no sluice executable at \(url.path)")
            return url
        }
    }

    /// Fixtures/fault-shim.c, compiled once per test process.
    static let shim: Result<URL, Error> = Result {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/fault-shim.c")
        let library = folder.appendingPathComponent("fault-shim.so")
        let flags = try run("/usr/bin/env", ["pkg-config", "--cflags", "libavformat"])
        _ = try run("/usr/bin/env", ["gcc", "-shared", "-fPIC", "-O1", "-o", library.path, source.path]
                    + flags.split(separator: " ").map(String.init) + ["-ldl"])
        return library
    }

    /// A runner whose children load the shim, with small limits so faults end quickly.
    static func runner(memory: Int64 = 1 << 30) throws -> IsolatedRunner {
        var runner = IsolatedRunner(executable: try sluice, limits: ProcessLimits(memory: memory, niceness: 0),
                                    environment: ["LD_PRELOAD": try shim.get().path])
        runner.terminationGrace = 1
        runner.checkTimeout = 3
        return runner
    }

    /// A 4 s 320x240 clip with audio, named `name` in `folder`; `seed` makes the content unique
    /// (the same bytes twice would be a duplicate, not a second job).
    @discardableResult
    static func clip(_ name: String, in folder: URL, seed: Int) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try FFmpegCLI.make(url, ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25,hue=h=\(seed * 37 % 360)",
                                 "-f", "lavfi", "-i", "sine=frequency=\(300 + seed * 10)", "-t", "4",
                                 "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "mp4"])
        return url
    }

    /// Runs a tool and returns its stdout; throws with its stderr when it fails.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(arguments.first ?? executable) failed: \(problems)"])
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
