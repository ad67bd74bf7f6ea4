internal import CFFmpeg
internal import CSupport
import Foundation

/// FFmpeg's own log, kept off the terminal and remembered as the last lines, so a failure
/// can be explained with what libav said (the "last log lines" of a failed job).
public enum FFmpegLog {
    private static let storage = LogStorage()

    /// Installs the capture; calling it again changes nothing but can turn echo on. FFmpeg's
    /// warnings and errors are kept (at most `capacity` lines); with `echo` they are also
    /// written to stderr as they come, which is how a job's child process hands its parent the
    /// lines that preceded a crash.
    public static func capture(echo: Bool = false) {
        if echo { storage.echoToStandardError() }
        av_log_set_level(AV_LOG_WARNING)
        cffmpeg_install_log_sink { level, line in
            guard let line else { return }
            FFmpegLog.storage.append(level: level, line: String(cString: line))
        }
    }

    /// The most recent lines, oldest first.
    public static func recentLines(_ count: Int = 20) -> [String] {
        ReadableLog.lines(storage.recent(.max), limit: count)
    }

    /// Every line kept, unfiltered (for tests that check what FFmpeg said at all).
    package static func unfilteredLines() -> [String] {
        storage.recent(.max)
    }
}

/// Lock-protected ring of log lines; av_log may be called from any codec thread.
private final class LogStorage: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var echo = false
    private let capacity = 200

    func echoToStandardError() {
        lock.withLock { echo = true }
    }

    func append(level: Int32, line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        let shouldEcho = lock.withLock { () -> Bool in
            lines.append(trimmed)
            if lines.count > capacity { lines.removeFirst(lines.count - capacity) }
            return echo
        }
        if shouldEcho { FileHandle.standardError.write(Data((trimmed + "\n").utf8)) }
    }

    func recent(_ count: Int) -> [String] {
        lock.withLock { Array(lines.suffix(count)) }
    }
}
