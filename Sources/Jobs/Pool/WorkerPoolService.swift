import Foundation
import Logging
import ServiceLifecycle
import Transcoding

/// N workers taking jobs from the store, one job each at a time (structured concurrency, as
/// swift-jobs' processor), plus a stall watchdog and the disk guard.
///
/// Every entry point that runs jobs from the store runs them here: the watch service keeps the
/// pool running; `sluice import` lets it stop once its queue is drained (`stopsWhenDrained`),
/// so both get the same watchdog, retries and disk guard and cannot drift apart.
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
    /// What the health file says now: why no job is taken (disk, or a held queue), or nil.
    private let lastHealth = LockedValue<String?>(nil)
    /// Ends `run()` once no job is queued (now or for a later retry) or running.
    private let stopsWhenDrained: Bool

    package init(store: JobStore, processor: JobProcessor, monitor: JobMonitor, workers: Int, logger: Logger,
                 health: HealthFile? = nil, stopsWhenDrained: Bool = false) {
        self.store = store
        self.stopsWhenDrained = stopsWhenDrained
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

    /// Stops taking jobs and ends the running ones at once (an interrupted import); they return
    /// to the queue without being charged an attempt.
    package func stopNow() {
        accepting.value = false
        monitor.cancelAll()
        signal.signal()
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
                if stopsWhenDrained && isDrained() { return }
                await signal.wait(timeout: .seconds(1))
                continue
            }
            logger.info("job running", metadata: ["job": "\(job.id ?? 0)", "file": "\(job.file)", "state": "running",
                                                  "attempt": "\(job.attempts)", "worker": "\(index)"])
            await processor.process(job)
            // Idle workers look again: the queue may now be empty, or hold a job that was
            // waiting for this one's content to finish.
            if stopsWhenDrained { signal.signal() }
        }
    }

    /// Nothing queued, nothing waiting for a retry, nothing running. An unreadable store is
    /// not "drained": the worker waits and reads again.
    private func isDrained() -> Bool {
        (try? store.hasUnfinishedJobs()) == false
    }

    /// False (after a pause) while the disk is short or the queue is held (its destination
    /// cannot take anything): queued jobs wait, none is failed for it.
    /// The shortage is logged and written to the health file once, when it starts and ends.
    private func roomForAJob() async -> Bool {
        let before = lastHealth.value
        let room = diskGuard.hasRoomForAnotherJob() && !processor.hold.isHolding
        let after = diskGuard.shortageReason ?? processor.hold.reason
        lastHealth.value = after
        if before != after {
            if let after {
                logger.warning("not taking jobs", metadata: ["reason": "\(after)"])
            } else {
                logger.info("taking jobs again")
            }
            health?.write(degraded: after)
        }
        if !room { await signal.wait(timeout: .seconds(2)) }
        return room
    }

    private func watchdog(while working: LockedValue<Bool>) async {
        let (logger, timeout) = (self.logger, stallTimeout)
        await monitor.watchStalls(timeout: timeout, while: { working.value }) { id in
            logger.warning("job stalled, cancelling", metadata: ["job": "\(id)", "stallTimeout": "\(Int(timeout))s"])
        }
    }
}

