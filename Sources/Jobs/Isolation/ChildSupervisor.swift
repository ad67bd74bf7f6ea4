import Foundation
import LibAV
import Transcoding

/// Runs one job's child process to its end on the calling thread, which must be a thread of its
/// own: the kernel's parent-death signal is tied to the thread that started the child, so that
/// thread must outlive it.
///
/// One `poll` loop reads the child's messages (stdout) and log (stderr), watches its memory, and
/// ends it by force when asked to stop (SIGTERM, then SIGKILL after a grace), when it goes over
/// its memory limit, or when it is silent too long. Whatever the child does (crash, hang, abort,
/// exit without a word), the outcome is a result or a `TranscodeError` that says what happened.
struct ChildSupervisor {
    var launcher: ChildProcess.Launcher
    var limits: ProcessLimits
    /// Seconds from SIGTERM to SIGKILL.
    var terminationGrace: TimeInterval = 5
    /// Ends the child when it writes nothing for this long (a probe has no progress to report).
    var silenceLimit: TimeInterval?
    /// How many of the child's stderr lines a failure keeps.
    var logTailLines = 20

    func run(_ request: WorkerRequest, cancellation: CancellationFlag,
             progress: @escaping (TranscodeProgress) -> Void) throws(TranscodeError) -> WorkerMessage {
        let child: ChildProcess
        do {
            child = try ChildProcess(launcher)
        } catch {
            throw TranscodeError(.internalFailure, file: request.file, reason: "\(error)")
        }
        child.send((try? JSONEncoder().encode(request)).map { $0 + Data("\n".utf8) } ?? Data())

        var transcript = Transcript(logTailLines: logTailLines, progress: progress)
        var verdict: ChildEnding.Verdict?
        var killAt: Date?
        var lastHeard = Date()
        var open: Set<Int32> = [child.output, child.errors]
        while !open.isEmpty {
            for fd in Self.readable(open, timeout: 100) {
                let (bytes, ended) = Self.drain(fd)
                if ended { open.remove(fd) }
                lastHeard = Date()
                if fd == child.output { transcript.take(messages: bytes) } else { transcript.take(log: bytes) }
            }
            if verdict == nil { verdict = check(child, cancellation: cancellation, lastHeard: lastHeard) }
            if verdict != nil, killAt == nil {
                child.signal(verdict == .cancelled ? SIGTERM : SIGKILL)
                killAt = Date().addingTimeInterval(terminationGrace)
            }
            if let killAt, Date() >= killAt { child.signal(SIGKILL) }
        }
        let (exit, peak) = child.wait()
        let ending = ChildEnding(file: request.file, exit: exit, peakBytes: peak, memoryLimit: limits.memory,
                                 position: transcript.lastProgress?.positionPhrase ?? "", logTail: transcript.logTail,
                                 silenceLimit: silenceLimit)
        return try ending.outcome(terminal: transcript.terminal, verdict: verdict)
    }

    /// What the child has said so far: progress is passed on as it comes, the last message that
    /// is not progress is kept as its answer, and the last lines of its log are kept.
    private struct Transcript {
        let logTailLines: Int
        let progress: (TranscodeProgress) -> Void
        private var messages = LineBuffer()
        private var log = LineBuffer()
        /// The child's last stderr lines, raw; `logTail` is what is worth showing of them.
        private var rawTail: [String] = []
        var logTail: [String] { ReadableLog.lines(rawTail, limit: logTailLines) }
        private(set) var terminal: WorkerMessage?
        private(set) var lastProgress: TranscodeProgress?

        init(logTailLines: Int, progress: @escaping (TranscodeProgress) -> Void) {
            self.logTailLines = logTailLines
            self.progress = progress
        }

        mutating func take(messages bytes: Data) {
            for line in messages.append(bytes) {
                guard let message = try? JSONDecoder().decode(WorkerMessage.self, from: Data(line.utf8)) else { continue }
                if message.type == .progress, let report = message.progress {
                    lastProgress = report
                    progress(report)
                } else {
                    terminal = message
                }
            }
        }

        mutating func take(log bytes: Data) {
            rawTail = Array((rawTail + log.append(bytes)).suffix(logTailLines * 10))
        }
    }

    /// Whether to end the child now, and why.
    private func check(_ child: ChildProcess, cancellation: CancellationFlag, lastHeard: Date) -> ChildEnding.Verdict? {
        if cancellation.isCancelled { return .cancelled }
        if limits.memory > 0, let resident = child.residentBytes, resident > limits.memory { return .overMemory }
        if let silenceLimit, Date().timeIntervalSince(lastHeard) > silenceLimit { return .silent }
        return nil
    }

    /// The descriptors of `fds` ready to read (or at end of file) within `timeout` milliseconds.
    private static func readable(_ fds: Set<Int32>, timeout: Int32) -> [Int32] {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard poll(&polls, nfds_t(polls.count), timeout) > 0 else { return [] }
        return polls.filter { $0.revents != 0 }.map(\.fd)
    }

    /// What one read returns, and whether the pipe has ended.
    private static func drain(_ fd: Int32) -> (Data, ended: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 { return (Data(), errno != EINTR && errno != EAGAIN) }
        return (Data(buffer[0..<count]), count == 0)
    }
}
