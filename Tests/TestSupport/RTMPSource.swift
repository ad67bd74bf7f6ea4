import Foundation

/// A live stream for the tests: the ffmpeg CLI publishing a lavfi test pattern (and a tone) as
/// an RTMP server on a loopback port (`-listen 1`), for exactly one player, as
/// runner-live-and-studio.md §3 describes. `-re` sends it at its own pace, like a camera.
public final class RTMPSource: @unchecked Sendable {
    public let port: Int
    public let url: String
    private let process = Process()

    /// `seconds` of a `size` pattern at `rate` fps, keyframes every second, with AAC sound unless `audio` is false.
    public init(seconds: Double, size: String = "640x360", rate: Int = 25, video: Bool = true, audio: Bool = true,
                key: String = "stream-key") throws {
        port = try Self.freePort()
        url = "rtmp://127.0.0.1:\(port)/live/\(key)"
        var arguments = ["-v", "error", "-nostdin", "-re"]
        if video { arguments += ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate)"] }
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] }
        arguments += ["-t", String(seconds)]
        if video {
            arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-force_key_frames", "expr:gte(t,n_forced*1)"]
        }
        if audio { arguments += ["-c:a", "aac", "-b:a", "128k"] }
        arguments += ["-f", "flv", "-listen", "1", url]
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg"] + arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    deinit {
        stop()
    }

    /// Ends the publisher at once (a streamer's machine dying).
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Freezes the publisher without closing its connection (a stalled encoder or network).
    public func freeze() {
        if process.isRunning { kill(process.processIdentifier, SIGSTOP) }
    }

    /// Waits for the publisher to end by itself (its `seconds` sent).
    public func waitUntilEnded() {
        process.waitUntilExit()
    }

    /// Watches the kernel's socket table until ffmpeg listens: connecting to find out would use
    /// up its only client.
    private func waitUntilListening() throws {
        let hex = String(format: "%04X", port)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
            if table.split(separator: "\n").contains(where: { $0.contains(":\(hex) ") && $0.contains(" 0A ") }) { return }
            guard process.isRunning else { throw Tool.Failure(description: "ffmpeg stopped before listening on \(port)") }
            usleep(20_000)
        }
        throw Tool.Failure(description: "ffmpeg did not listen on \(port) within 20 s")
    }

    /// A loopback port nothing listens on now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Tool.Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Tool.Failure(description: "bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
