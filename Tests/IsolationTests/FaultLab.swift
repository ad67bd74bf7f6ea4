import Foundation
import TestSupport
import Jobs
import Testing

/// What the isolation tests need from outside Swift, all made at test time: the built `sluice`
/// executable (the child every job runs in), the fault-injection shim (`FaultShim`), and short
/// clips whose names carry the shim's fault markers.
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

    /// A runner whose children load the shim, with small limits so faults end quickly.
    static func runner(memory: Int64 = 1 << 30) throws -> IsolatedRunner {
        var runner = IsolatedRunner(executable: try sluice, limits: ProcessLimits(memory: memory, niceness: 0),
                                    environment: ["LD_PRELOAD": try FaultShim.library(in: folder).path])
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
}
