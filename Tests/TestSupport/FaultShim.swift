import Foundation

/// Fixtures/fault-shim.c, compiled at test time: a library loaded into a job's child process with
/// `LD_PRELOAD` that makes FFmpeg crash, hang or hog memory for inputs whose names carry a marker
/// (or for every input, with `FAULT_SHIM_MARKER`).
public enum FaultShim {
    /// Compiles the shim into `folder` (once per folder and process) and returns the library.
    public static func library(in folder: URL) throws -> URL {
        try lock.withLock {
            let library = folder.appendingPathComponent("fault-shim.so")
            if FileManager.default.fileExists(atPath: library.path) { return library }
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Fixtures/fault-shim.c")
            let flags = try Tool.run("pkg-config", ["--cflags", "libavformat"])
            _ = try Tool.run("gcc", ["-shared", "-fPIC", "-O1", "-o", library.path, source.path]
                             + flags.split(separator: " ").map(String.init) + ["-ldl"])
            return library
        }
    }

    private static let lock = NSLock()
}
