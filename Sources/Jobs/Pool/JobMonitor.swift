import Foundation
import Transcoding

/// Live state of running jobs that is not worth a database write: their cancellation flags and
/// when their progress last moved (for the stall watchdog); jobs that end are counted in
/// `metrics`.
public final class JobMonitor: @unchecked Sendable {
    private struct Running {
        var cancellation: CancellationFlag
        var lastFraction: Double
        var lastMove: Date
        var speed: Double
        var last: TranscodeProgress?
    }

    private let lock = NSLock()
    private var running: [Int64: Running] = [:]
    private var stalled: Set<Int64> = []
    private var refusedForSpace: Set<Int64> = []
    private var endListeners: [AsyncStream<Int64>.Continuation] = []
    private let metrics: JobMetrics

    public init(metrics: JobMetrics = JobMetrics()) {
        self.metrics = metrics
    }

    package func started(_ id: Int64, cancellation: CancellationFlag, now: Date = Date()) {
        lock.withLock {
            running[id] = Running(cancellation: cancellation, lastFraction: -1, lastMove: now, speed: 0)
            stalled.remove(id)
            refusedForSpace.remove(id)
        }
    }

    package func progressed(_ id: Int64, _ progress: TranscodeProgress, now: Date = Date()) {
        lock.withLock {
            guard var job = running[id] else { return }
            // A live has no fraction: each chunk it writes is its progress.
            if progress.fraction > job.lastFraction + 1e-9 || progress.stage != .encoding || progress.chunk != nil {
                job.lastFraction = progress.fraction
                job.lastMove = now
            }
            job.speed = progress.speed
            job.last = progress
            running[id] = job
        }
    }

    /// The job's attempt is over and its state recorded.
    package func finished(_ id: Int64) {
        let listeners = lock.withLock {
            _ = running.removeValue(forKey: id)
            return endListeners
        }
        for listener in listeners { listener.yield(id) }
    }

    /// The ids of jobs as their attempts end (after their new state is stored), from now on: a
    /// caller waits on events instead of polling the store.
    package func attemptEnds() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream<Int64>.makeStream()
        lock.withLock { endListeners.append(continuation) }
        return stream
    }

    /// Cancels every job whose progress has not moved for `timeout`; returns their ids (each job
    /// once: a child being ended by force is not cancelled again every tick).
    @discardableResult
    func cancelStalled(timeout: TimeInterval, now: Date = Date()) -> [Int64] {
        lock.withLock {
            let stuck = running.filter { now.timeIntervalSince($0.value.lastMove) > timeout && !stalled.contains($0.key) }
            for (id, job) in stuck {
                stalled.insert(id)
                job.cancellation.cancel()
            }
            return Array(stuck.keys)
        }
    }

    /// The stall watchdog: every `timeout / 4` (at most a second) cancels the jobs whose progress
    /// has not moved for `timeout`, calling `stalled` with each, until `watching` says stop. The
    /// worker pool and the runner both run their jobs under it.
    package func watchStalls(timeout: TimeInterval, while watching: @Sendable () -> Bool,
                             stalled: @Sendable (Int64) -> Void) async {
        let interval = min(1.0, timeout / 4)
        while watching() && !Task.isCancelled {
            for id in cancelStalled(timeout: timeout) { stalled(id) }
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
    }

    package func wasStalled(_ id: Int64) -> Bool {
        lock.withLock { stalled.remove(id) != nil }
    }

    /// Stops a job whose estimate does not fit on the disk; it goes back to the queue uncharged.
    func refuseForSpace(_ id: Int64) {
        lock.withLock {
            refusedForSpace.insert(id)
            running[id]?.cancellation.cancel()
        }
    }

    func wasRefusedForSpace(_ id: Int64) -> Bool {
        lock.withLock { refusedForSpace.remove(id) != nil }
    }

    /// " at 00:00:05 of 00:03:40": where the job was at its last report, or "".
    package func position(of id: Int64) -> String {
        lock.withLock { running[id]?.last?.positionPhrase ?? "" }
    }

    /// Cancels every running job (shutdown timeout).
    func cancelAll() {
        lock.withLock { for job in running.values { job.cancellation.cancel() } }
    }

    package var runningCount: Int { lock.withLock { running.count } }

    /// Sum of the running jobs' speeds (x realtime).
    package var currentSpeed: Double { lock.withLock { running.values.reduce(0) { $0 + $1.speed } } }

    func recordDone(seconds: Double, bytesIn: Int64, bytesOut: Int64) {
        metrics.published(mediaSeconds: seconds, bytesIn: bytesIn, bytesOut: bytesOut)
    }

    func recordFailure() {
        metrics.quarantined()
    }
}
