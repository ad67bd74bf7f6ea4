import Foundation
import Logging
import ServiceLifecycle
import Transcoding

/// N workers taking jobs from the store, one job each at a time (structured concurrency, as
/// swift-jobs' processor), plus a stall watchdog.
///
/// On graceful shutdown no new job is taken; running jobs get `shutdownTimeout` to finish, then
/// are cancelled and return to the queue, to resume at the next start.
public final class WorkerPoolService: Service, @unchecked Sendable {
    private let store: JobStore
    private let processor: JobProcessor
    private let monitor: JobMonitor
    private let workers: Int
    private let stallTimeout: TimeInterval
    private let shutdownTimeout: TimeInterval
    private let logger: Logger
    private let diskGuard: DiskGuard
    private let health: HealthFile?
    package let signal = WorkSignal()
    private let accepting = LockedValue(true)

    package init(store: JobStore, processor: JobProcessor, monitor: JobMonitor, workers: Int, logger: Logger,
                 health: HealthFile? = nil) {
        self.store = store
        self.processor = processor
        self.monitor = monitor
        self.workers = workers
        stallTimeout = processor.policy.stallTimeout
        shutdownTimeout = processor.policy.shutdownTimeout
        diskGuard = processor.diskGuard
        self.logger = logger
        self.health = health
    }

    public func run() async throws {
        logger.info("worker pool started", metadata: ["workers": "\(workers)"])
        let working = LockedValue(true)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.watchdog(while: working) }
                await withTaskGroup(of: Void.self) { workers in
                    for index in 0..<self.workers {
                        workers.addTask { await self.work(index) }
                    }
                }
                working.value = false
                self.signal.signal()
            }
        } onGracefulShutdown: {
            self.stopTaking()
        }
        logger.info("worker pool stopped")
    }

    /// Stops taking jobs and, after the shutdown timeout, cancels the ones still running.
    package func stopTaking() {
        accepting.value = false
        signal.signal()
        let monitor = self.monitor
        let timeout = shutdownTimeout
        let logger = self.logger
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: timeout)
            if monitor.runningCount > 0 {
                logger.warning("shutdown timeout: cancelling running jobs; they resume at next start")
                monitor.cancelAll()
            }
        }
    }

    private func work(_ index: Int) async {
        while accepting.value && !Task.isCancelled {
            guard await roomForAJob() else { continue }
            let job: Job?
            do {
                job = try store.claimNext()
            } catch {
                logger.error("cannot read the job store", metadata: ["error": "\(error)"])
                job = nil
            }
            guard let job else {
                await signal.wait(timeout: .seconds(1))
                continue
            }
            logger.info("job running", metadata: ["job": "\(job.id ?? 0)", "file": "\(job.file)", "state": "running",
                                                  "attempt": "\(job.attempts)", "worker": "\(index)"])
            await processor.process(job)
        }
    }

    /// False (after a pause) while the disk is short: queued jobs wait, none is failed for it.
    /// The shortage is logged and written to the health file once, when it starts and ends.
    private func roomForAJob() async -> Bool {
        let before = diskGuard.shortageReason
        let room = diskGuard.hasRoomForAnotherJob()
        let after = diskGuard.shortageReason
        if before != after {
            if let after {
                logger.warning("not taking jobs", metadata: ["reason": "\(after)"])
            } else {
                logger.info("disk space is back, taking jobs again")
            }
            health?.write(degraded: after)
        }
        if !room { await signal.wait(timeout: .seconds(2)) }
        return room
    }

    private func watchdog(while working: LockedValue<Bool>) async {
        let interval = min(1.0, stallTimeout / 4)
        while working.value {
            for id in monitor.cancelStalled(timeout: stallTimeout) {
                logger.warning("job stalled, cancelling", metadata: ["job": "\(id)", "stallTimeout": "\(Int(stallTimeout))s"])
            }
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
    }
}

