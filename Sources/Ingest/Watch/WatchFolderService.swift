import Foundation
import Jobs
import Logging
import ServiceLifecycle
import Transcoding

/// Watches the inbox and the folders dropped into it: file-system events (inotify) plus a
/// periodic rescan for file systems that miss events. A finished file is claimed by renaming it
/// into `work/` and recorded as a job, with what was taken (size, time, inode).
///
/// A file is finished when no process has it open for writing (``WriterCheck``) and either its
/// local writer just closed it or renamed it in (taken at once) or it has not changed for the
/// settle window. A file open for writing waits however long its writer pauses; on file systems
/// that cannot tell (NFS, SMB, FUSE) the settle window alone decides.
public final class WatchFolderService: Service, @unchecked Sendable {
    private let inbox: URL
    private let folders: StateFolders
    private let store: JobStore
    private let settleWindow: TimeInterval
    private let rescan: TimeInterval
    private let logger: Logger
    private let onQueued: @Sendable () -> Void
    private var tracker: SettleTracker
    private var events: InotifyEvents?
    /// Files their writer closed (or renamed in) that are still in the inbox.
    private var closedByWriter: Set<String> = []
    /// Folders of the inbox a file was taken from: removed once empty and quiet.
    private var emptying: Set<String> = []
    /// Files last reported as open for writing, so the log says so once per file.
    private var beingWritten: Set<String> = []
    /// Signalled once the inbox is watched (for tests that write into it only then).
    let watching = WorkSignal()

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
        self.events = events
        watching.signal()
        logger.info("watching inbox", metadata: ["inbox": "\(inbox.path)", "settle": "\(settleWindow)s",
                                                  "events": "\(events.isActive ? "inotify" : "polling only")"])
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                scanOnce()
                let nextSettle = tracker.nextDeadline().map { max(0.05, $0.timeIntervalSinceNow + 0.01) } ?? rescan
                // A file being written is looked at again soon: its writer's close may not raise an event.
                let recheck = beingWritten.isEmpty ? rescan : min(rescan, 1)
                await events.wait(timeout: min(recheck, nextSettle))
            }
        } onGracefulShutdown: {
            events.stop()
        }
        events.stop()
        logger.info("stopped watching inbox")
    }

    /// One pass over the inbox and its folders: claim every finished file, note the others.
    func scanOnce(now: Date = Date()) {
        let listing = InboxScanner(inbox: inbox).scan()
        if let events {
            for folder in listing.folders { events.watch(inbox.appendingPathComponent(folder).path) }
            closedByWriter.formUnion(events.takeFinished())
        }
        let candidates = listing.candidates
        let present = Set(candidates.map(\.path))
        tracker.keepOnly(present)
        closedByWriter.formIntersection(present)
        var waiting: [InboxWaiting.File] = []
        for candidate in candidates {
            if let reason = take(candidate, now: now) {
                waiting.append(.init(file: candidate.name, size: candidate.size, state: reason))
            }
        }
        beingWritten = Set(waiting.filter { $0.state == InboxWaiting.beingWritten }.map(\.file))
        removeEmptiedFolders(now: now)
        InboxWaiting(files: waiting, updatedAt: now).write(state: folders.root)
    }

    /// Claims `candidate` if it is finished; otherwise returns why it waits.
    private func take(_ candidate: InboxScanner.Candidate, now: Date) -> String? {
        let settled = tracker.observe(candidate.path, .init(size: candidate.size, modified: candidate.modified), now: now)
        let writer = WriterCheck.state(of: candidate.path)
        if writer == .openForWriting {
            if !beingWritten.contains(candidate.name) {
                logger.info("file still being written, waiting for its writer to close it",
                            metadata: ["file": "\(candidate.name)", "bytes": "\(candidate.size)"])
            }
            return InboxWaiting.beingWritten
        }
        let closed = writer == .closed && closedByWriter.contains(candidate.path)
        guard settled || closed, InboxScanner.canOpen(candidate.path) else { return InboxWaiting.settling }
        do {
            return try claim(candidate) ? nil : InboxWaiting.settling
        } catch {
            logger.error("cannot take file", metadata: ["file": "\(candidate.name)", "error": "\(error)"])
            return InboxWaiting.settling
        }
    }

    /// Renames the file into `work/` and records its job; false when it is not to be taken yet.
    private func claim(_ candidate: InboxScanner.Candidate) throws -> Bool {
        if candidate.size == 0 {
            // Leave empty files alone for a while longer: a copy may not have started writing.
            guard Date().timeIntervalSince(candidate.modified) > max(settleWindow * 3, 30) else { return false }
        }
        // Again just before the move: a writer may have opened it since the scan.
        guard WriterCheck.state(of: candidate.path) != .openForWriting else { return false }
        let work = folders.workPath(for: URL(fileURLWithPath: candidate.name).lastPathComponent)
        try StateFolders.move(candidate.path, to: work.path)
        closedByWriter.remove(candidate.path)
        let folder = (candidate.name as NSString).deletingLastPathComponent
        if !folder.isEmpty { emptying.insert(folder) }
        let taken = SourceIdentity.of(work.path)
        let fingerprint = try Fingerprint.of(file: work)
        var job = Job(file: candidate.name, sourcePath: work.path, fingerprint: fingerprint, size: taken?.size ?? candidate.size)
        job.taken = taken
        job = try store.insert(job)
        logger.info("job queued", metadata: ["job": "\(job.id ?? 0)", "file": "\(candidate.name)", "state": "queued",
                                             "bytes": "\(job.size)"])
        onQueued()
        return true
    }

    /// Removes the folders files were taken from once they are empty and nothing has changed in
    /// them for the settle window (a folder still being copied in gets its next file meanwhile),
    /// then their emptied parents.
    private func removeEmptiedFolders(now: Date) {
        let quiet = max(settleWindow, 2)
        for folder in emptying.sorted(by: { $0.count > $1.count }) {
            let url = inbox.appendingPathComponent(folder)
            var status = stat()
            guard stat(url.path, &status) == 0 else {
                emptying.remove(folder)
                continue
            }
            let changed = InboxScanner.modificationDate(status)
            let empty = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? ["?"]).isEmpty
            guard empty, now.timeIntervalSince(changed) >= quiet else {
                if !empty { emptying.remove(folder) }  // something else lives there: it is the user's
                continue
            }
            if rmdir(url.path) == 0 {
                logger.info("removed an emptied folder of the inbox", metadata: ["folder": "\(folder)"])
                let parent = (folder as NSString).deletingLastPathComponent
                if !parent.isEmpty { emptying.insert(parent) }
            }
            emptying.remove(folder)
        }
    }
}
