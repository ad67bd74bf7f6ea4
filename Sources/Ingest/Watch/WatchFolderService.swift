import Foundation
import Jobs
import Logging
import ServiceLifecycle

/// Watches the inbox: file-system events (inotify) plus a periodic rescan for file systems that
/// miss events. A settled file is claimed by renaming it into `work/` and recorded as a job.
public final class WatchFolderService: Service, @unchecked Sendable {
    private let inbox: URL
    private let folders: StateFolders
    private let store: JobStore
    private let settleWindow: TimeInterval
    private let rescan: TimeInterval
    private let logger: Logger
    private let onQueued: @Sendable () -> Void
    private var tracker: SettleTracker

    init(inbox: URL, folders: StateFolders, store: JobStore, settle: TimeInterval, rescan: TimeInterval, logger: Logger,
         onQueued: @escaping @Sendable () -> Void) {
        self.inbox = inbox
        self.folders = folders
        self.store = store
        settleWindow = settle
        self.rescan = rescan
        self.logger = logger
        self.onQueued = onQueued
        tracker = SettleTracker(window: settle)
    }

    public func run() async throws {
        let events = InotifyEvents(path: inbox.path)
        logger.info("watching inbox", metadata: ["inbox": "\(inbox.path)", "settle": "\(settleWindow)s",
                                                  "events": "\(events.isActive ? "inotify" : "polling only")"])
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                scanOnce()
                let nextSettle = tracker.nextDeadline().map { max(0.05, $0.timeIntervalSinceNow + 0.01) } ?? rescan
                await events.wait(timeout: min(rescan, nextSettle))
            }
        } onGracefulShutdown: {
            events.stop()
        }
        events.stop()
        logger.info("stopped watching inbox")
    }

    /// One pass over the inbox: claim every settled file.
    func scanOnce(now: Date = Date()) {
        let candidates = InboxScanner(inbox: inbox).scan()
        tracker.keepOnly(Set(candidates.map(\.path)))
        for candidate in candidates {
            let settled = tracker.observe(candidate.path, .init(size: candidate.size, modified: candidate.modified), now: now)
            guard settled, InboxScanner.canOpen(candidate.path) else { continue }
            do {
                try claim(candidate)
            } catch {
                logger.error("cannot take file", metadata: ["file": "\(candidate.name)", "error": "\(error)"])
            }
        }
    }

    private func claim(_ candidate: InboxScanner.Candidate) throws {
        if candidate.size == 0 {
            // Leave empty files alone for a while longer: a copy may not have started writing.
            guard Date().timeIntervalSince(candidate.modified) > max(settleWindow * 3, 30) else { return }
        }
        let work = folders.workPath(for: candidate.name)
        try StateFolders.move(candidate.path, to: work.path)
        let fingerprint = try Fingerprint.of(file: work)
        let job = try store.insert(Job(file: candidate.name, sourcePath: work.path, fingerprint: fingerprint, size: candidate.size))
        logger.info("job queued", metadata: ["job": "\(job.id ?? 0)", "file": "\(candidate.name)", "state": "queued",
                                             "bytes": "\(candidate.size)"])
        onQueued()
    }
}
