import Foundation
@testable import Ingest
@testable import Jobs
import Transcoding

/// A transcode runner for service tests: publishes an empty package, fails, or stalls, on demand.
final class FakeRunner: TranscodeRunner, @unchecked Sendable {
    enum Behaviour: Sendable {
        case publish
        case fail(TranscodeError.Kind)
        /// Reports progress once, then never again until cancelled.
        case stall
        /// Runs until cancelled (for shutdown tests), reporting steady progress.
        case runUntilCancelled
    }

    private let lock = NSLock()
    private var behaviours: [Behaviour]
    private(set) var calls: [String] = []
    private var startedWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var startedCount = 0

    init(_ behaviours: [Behaviour]) {
        self.behaviours = behaviours
    }

    var callCount: Int { lock.withLock { calls.count } }

    /// Returns once `count` transcodes have started.
    func waitUntilStarted(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready: Bool = lock.withLock {
                if startedCount >= count { return true }
                startedWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Every file passes the check: the service tests feed no real media.
    func check(file: URL, limits: InputLimits) async throws {}

    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        let (behaviour, waiters): (Behaviour, [CheckedContinuation<Void, Never>]) = lock.withLock {
            calls.append(file.lastPathComponent)
            startedCount += 1
            let next = behaviours.count > 1 ? behaviours.removeFirst() : (behaviours.first ?? .publish)
            let due = startedWaiters.filter { $0.count <= startedCount }.map(\.continuation)
            startedWaiters.removeAll { $0.count <= startedCount }
            return (next, due)
        }
        for waiter in waiters { waiter.resume() }
        let uuid = options.videoUUID?.uuidString.lowercased() ?? UUID().uuidString.lowercased()
        switch behaviour {
        case .publish:
            let folder = options.outputDirectory.appendingPathComponent(uuid)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: folder.appendingPathComponent("manifest.json"))
            return TranscodeResult(directory: folder.path, master: folder.appendingPathComponent("m.m3u8").path,
                                   videoUUID: uuid, duration: 1, elapsed: 0.01, speed: 100, renditions: [])
        case .fail(let kind):
            throw TranscodeError(kind, file: file.path, reason: kind == .badInput ? "is not a video" : "encoder exploded",
                                 logTail: ["libav said something"])
        case .stall, .runUntilCancelled:
            var fraction = 0.0
            while !cancellation.isCancelled {
                if case .runUntilCancelled = behaviour { fraction += 0.001 }
                progress(TranscodeProgress(stage: .encoding, fraction: fraction))
                await Task.yield()
                try? await Task.sleep(for: .milliseconds(10))
            }
            throw TranscodeError(.cancelled, file: file.path, reason: "cancelled")
        }
    }
}
