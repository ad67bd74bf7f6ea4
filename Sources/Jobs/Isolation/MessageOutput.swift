import Foundation

/// Writes ``WorkerMessage`` lines on stdout, one whole line per write, from any thread (the
/// engine reports progress from its own).
final class MessageOutput: @unchecked Sendable {
    private let lock = NSLock()
    private let encoder = JSONEncoder()

    func send(_ message: WorkerMessage) {
        lock.withLock {
            guard let data = try? encoder.encode(message) else { return }
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }
}
