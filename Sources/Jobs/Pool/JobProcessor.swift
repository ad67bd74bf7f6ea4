import Foundation
import Ladder
import Logging
import Transcoding

/// Takes one claimed job to its next state: duplicate, done, retry or quarantine. The database
/// records the intent (`finalPath`) before a file moves, so a crash between the two is finished
/// by the reconciler, and no source is ever deleted.
package struct JobProcessor: Sendable {
    let store: JobStore
    let folders: StateFolders
    let policy: JobPolicy
    let pipeline: Pipeline
    let runner: any TranscodeRunner
    let logger: Logger
    let monitor: JobMonitor
    let diskGuard: DiskGuard
    /// The watch folder owns its sources and files them in done/ or quarantine/; an import
    /// leaves a library where it is.
    var movesSources = true
    /// Where packages go beyond the output folder (a PeerTube channel), if anywhere.
    let delivery: (any JobDelivery)?
    /// Holds the queue while the delivery's destination cannot take anything.
    package let hold: QueueHold

    package init(store: JobStore, folders: StateFolders, policy: JobPolicy, pipeline: Pipeline, runner: any TranscodeRunner,
                 logger: Logger, monitor: JobMonitor, diskGuard: DiskGuard, movesSources: Bool = true,
                 delivery: (any JobDelivery)? = nil, hold: QueueHold = QueueHold()) {
        self.delivery = delivery
        self.hold = hold
        self.store = store
        self.folders = folders
        self.policy = policy
        self.pipeline = pipeline
        self.runner = runner
        self.logger = logger
        self.monitor = monitor
        self.diskGuard = diskGuard
        self.movesSources = movesSources
    }

    package func process(_ job: Job) async {
        guard let id = job.id else { return }
        let source = URL(fileURLWithPath: job.sourcePath)
        let cancellation = CancellationFlag()
        monitor.started(id, cancellation: cancellation)
        defer {
            monitor.finished(id)
            diskGuard.release(job: id)
        }
        var log = logger
        log[metadataKey: "job"] = "\(id)"
        log[metadataKey: "file"] = "\(job.file)"
        do {
            guard let job = try confirmSource(of: job, id: id, source: source, log: log) else { return }
            if let first = try store.publishedJob(fingerprint: job.fingerprint), first.id != id {
                try finish(id, source: source, state: .duplicate, folder: folders.done, name: job.file) { job in
                    job.duplicateOf = first.id
                    job.outputDirectory = first.outputDirectory
                    job.reason = "same content as job \(first.id ?? 0) (\(first.file))"
                }
                log.info("job duplicate", metadata: ["state": "duplicate", "of": "\(first.id ?? 0)"])
                return
            }
            let published = policy.output.appendingPathComponent(job.videoUUID)
            let result: (directory: String, duration: Double?)
            if FileManager.default.fileExists(atPath: published.appendingPathComponent("manifest.json").path) {
                // Published before a crash stopped us from recording it: do not make it twice.
                result = (published.path, nil)
                log.info("job package already published", metadata: ["directory": "\(published.path)"])
            } else {
                let transcoded = try await transcode(job, id: id, source: source, cancellation: cancellation)
                result = (transcoded.directory, transcoded.duration)
            }
            if let change = sourceChange(job, source: source) {
                // Changed after the child's own last look: the package is of a stale part.
                try? FileManager.default.removeItem(atPath: result.directory)
                requeueForNewContent(id, reason: change, log: log)
                return
            }
            var receipt: DeliveryReceipt?
            if let delivery {
                _ = try store.update(id) { $0.outputDirectory = result.directory }
                guard let delivered = await deliver(job, id: id, source: source, package: result.directory, with: delivery, log: log) else { return }
                receipt = delivered
            }
            try finish(id, source: source, state: .done, folder: folders.done, name: job.file) { job in
                job.outputDirectory = result.directory
                job.progress = 1
                job.eta = 0
                if let duration = result.duration { job.durationSeconds = duration }
                job.remoteURL = receipt?.url
                job.remoteState = receipt?.state
            }
            monitor.recordDone(seconds: result.duration ?? 0, bytesIn: job.size,
                               bytesOut: Self.folderSize(result.directory))
            log.info("job done", metadata: ["state": "done", "directory": "\(result.directory)"])
        } catch let error as TranscodeError where error.kind == .sourceChanged {
            requeueForNewContent(id, reason: error.reason, log: log)
        } catch let error as TranscodeError where error.kind == .cancelled {
            settleCancelled(job, id: id, source: source, error: error, askedHere: cancellation.isCancelled, log: log)
        } catch let error as TranscodeError
                    where error.kind == .noSpace && diskGuard.noteDiskFull(needing: (try? store.job(id))?.estimatedBytes ?? 0) {
            // A full disk is the machine's state, not the input's fault: wait for space, charge nothing.
            requeueUncharged(id, reason: error.reason, log: log)
        } catch let error as TranscodeError {
            retryOrQuarantine(job, id: id, source: source, reason: error.reason, logTail: error.logTail,
                              retryable: error.isRetryable, log: log)
        } catch {
            retryOrQuarantine(job, id: id, source: source, reason: "\(error)", logTail: [], retryable: true, log: log)
        }
    }

    /// The source as it is now: nil (and the job waits, uncharged) while a process still has it
    /// open for writing; otherwise the job, with what it took brought up to date when the
    /// content changed since (a new size and fingerprint: this attempt transcodes the new content).
    private func confirmSource(of job: Job, id: Int64, source: URL, log: Logger) throws -> Job? {
        if WriterCheck.state(of: source.path) == .openForWriting {
            requeueUncharged(id, reason: Self.stillBeingWritten, after: policy.writerRecheck, log: log, level: .debug)
            return nil
        }
        guard let now = SourceIdentity.of(source.path), now != job.taken else { return job }
        let fingerprint = job.taken == nil ? job.fingerprint : try Fingerprint.of(file: source)
        if job.taken != nil {
            log.info("source changed since it was taken: transcoding its new content", metadata: ["bytes": "\(now.size)"])
        }
        return try store.update(id) { stored in
            stored.taken = now
            stored.size = now.size
            stored.fingerprint = fingerprint
        }
    }

    /// Why the source is no longer what the job took (changed, gone, or open for writing again),
    /// or nil when it is unchanged and closed: only then is a package published or a source filed.
    func sourceChange(_ job: Job, source: URL) -> String? {
        guard let taken = job.taken else { return nil }
        if let difference = taken.difference(from: source.path) { return "the source changed since it was taken (\(difference))" }
        if WriterCheck.state(of: source.path) == .openForWriting { return Self.stillBeingWritten }
        return nil
    }

    package static let stillBeingWritten = "still being written (another process has it open for writing)"

    /// The source changed under the job: its output is not published and the new content gets
    /// a new attempt, charged nothing (the attempts so far were spent on other content).
    private func requeueForNewContent(_ id: Int64, reason: String, log: Logger) {
        _ = try? store.update(id) { job in
            job.state = .queued
            job.attempts = 0
            job.progress = 0
            job.interruptions = 0
            job.nextAttemptAt = Date().addingTimeInterval(policy.writerRecheck)
            job.reason = reason
        }
        log.info("job queued again for the source's new content", metadata: ["state": "queued", "reason": "\(reason)"])
    }

    /// Hands the package to the delivery; nil when the job ended otherwise: refused (quarantined,
    /// alone) or back in the queue, uncharged, behind a hold of the whole queue.
    private func deliver(_ job: Job, id: Int64, source: URL, package: String, with delivery: any JobDelivery,
                         log: Logger) async -> DeliveryReceipt? {
        do {
            let receipt = try await delivery.deliver(source: source, name: job.file, package: URL(fileURLWithPath: package))
            if hold.reason != nil { log.info("the destination takes videos again") }
            hold.release()
            return receipt
        } catch {
            switch error.kind {
            case .refused:
                retryOrQuarantine(job, id: id, source: source, reason: error.reason, logTail: [], retryable: false, log: log)
            case .holdsQueue, .later:
                let retry = error.kind == .later ? policy.retryBackoff : policy.holdRetry
                if hold.reason != error.reason { log.error("holding the queue", metadata: ["reason": "\(error.reason)", "retryIn": "\(Int(retry))s"]) }
                hold.hold(error.reason, retry: retry)
                requeueUncharged(id, reason: error.reason, after: retry, log: log, level: .debug)
            }
            return nil
        }
    }

    private func transcode(_ job: Job, id: Int64, source: URL, cancellation: CancellationFlag) async throws -> TranscodeResult {
        // The upload's own name: a watch-folder source now lives under a work name.
        let uploadName = URL(fileURLWithPath: job.file).lastPathComponent
        var options = TranscodeOptions(pipeline: pipeline, outputDirectory: policy.output, videoUUID: UUID(uuidString: job.videoUUID),
                                       baseURL: policy.baseURL, limits: policy.inputLimits, videoName: uploadName)
        options.expectedSource = job.taken
        if let delivery {
            // The destination's ladder comes from a probe in this process: the file is probed in
            // a child first, so an input that crashes or hangs FFmpeg fails its job, not the service.
            try await runner.check(file: source, limits: policy.inputLimits)
        }
        if let ladder = await delivery?.ladder(for: source) {
            options.renditions = ladder.renditions
            options.splitAudio = ladder.splitAudio
        }
        let (store, monitor, diskGuard) = (self.store, self.monitor, self.diskGuard)
        return try await runner.transcode(file: source, options: options, cancellation: cancellation) { progress in
            monitor.progressed(id, progress)
            if let estimate = progress.estimatedBytes {
                _ = try? store.update(id) { $0.estimatedBytes = estimate }
                if !diskGuard.admit(job: id, bytes: estimate) { monitor.refuseForSpace(id) }
            }
            store.recordProgress(id, progress: progress.fraction, speed: progress.speed, eta: progress.eta,
                                 rendition: progress.currentRendition)
        }
    }

    /// A cancelled job: a stall is a failed attempt, a stop for disk space or a shutdown costs
    /// nothing, and a stop nobody here asked for counts, or the job would be taken again forever.
    private func settleCancelled(_ job: Job, id: Int64, source: URL, error: TranscodeError, askedHere: Bool, log: Logger) {
        if !askedHere {
            retryOrQuarantine(job, id: id, source: source, reason: "interrupted unexpectedly: \(error.reason)",
                              logTail: error.logTail, retryable: true, log: log)
        } else if monitor.wasStalled(id) {
            retryOrQuarantine(job, id: id, source: source,
                              reason: "stalled: no progress for \(Int(policy.stallTimeout)) s\(monitor.position(of: id))",
                              logTail: error.logTail, retryable: true, log: log)
        } else if monitor.wasRefusedForSpace(id) {
            requeueUncharged(id, reason: diskGuard.shortageReason, log: log)
        } else {
            // Shutdown: it resumes at the next start.
            requeueUncharged(id, reason: nil, log: log)
        }
    }

    /// Back to the queue without using up an attempt (shutdown, no room on the disk, a writer
    /// still at work), to be taken again at once or `after` seconds.
    private func requeueUncharged(_ id: Int64, reason: String?, after delay: TimeInterval? = nil, log: Logger,
                                  level: Logger.Level = .info) {
        _ = try? store.update(id) { job in
            job.state = .queued
            job.attempts = max(0, job.attempts - 1)
            job.progress = 0
            job.interruptions = 0
            job.nextAttemptAt = delay.map { Date().addingTimeInterval($0) }
            if let reason { job.reason = reason }
        }
        log.log(level: level, "job queued again, attempt not charged", metadata: ["state": "queued", "reason": "\(reason ?? "shutdown")"])
    }

    private func retryOrQuarantine(_ job: Job, id: Int64, source: URL, reason: String, logTail: [String],
                                   retryable: Bool, log: Logger) {
        let current = (try? store.job(id)) ?? job
        if let change = sourceChange(current, source: source) {
            // A part of a file its writer went on with (a stalled copy): the whole file gets its turn.
            requeueForNewContent(id, reason: "\(change); the failure (\(reason)) was of the part taken before", log: log)
            return
        }
        let attempts = current.attempts
        if retryable && attempts < policy.maxAttempts {
            let delay = policy.retryBackoff * pow(2, Double(attempts - 1))
            _ = try? store.update(id) { job in
                job.state = .queued
                job.interruptions = 0
                job.nextAttemptAt = Date().addingTimeInterval(delay)
                job.reason = reason
                job.logTail = logTail.joined(separator: "\n")
                job.progress = 0
            }
            log.warning("job failed, will retry", metadata: ["state": "queued", "attempt": "\(attempts)",
                                                             "retryIn": "\(Int(delay))s", "reason": "\(reason)"])
            return
        }
        monitor.recordFailure()
        do {
            let destination = try finish(id, source: source, state: .quarantined, folder: folders.quarantine, name: job.file) { job in
                job.reason = reason
                job.logTail = logTail.joined(separator: "\n")
            }
            if movesSources {
                try Self.writeReason(for: destination, file: job.file, reason: reason, attempts: attempts, logTail: logTail)
            }
            log.error("job quarantined", metadata: ["state": "quarantined", "reason": "\(reason)"])
        } catch {
            log.error("cannot quarantine", metadata: ["error": "\(error)"])
        }
    }

    /// Records the terminal state and where the source goes, then moves it there.
    @discardableResult
    private func finish(_ id: Int64, source: URL, state: JobState, folder: URL, name: String,
                        _ change: (inout Job) -> Void) throws -> URL {
        guard movesSources else {
            try store.update(id) { job in
                change(&job)
                job.interruptions = 0
                job.state = state
                job.finishedAt = Date()
            }
            return source
        }
        let destination = StateFolders.freePath(in: folder, for: name)
        // A file that came in a folder of the inbox keeps its folder in done/ and quarantine/.
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try store.update(id) { job in
            change(&job)
            job.interruptions = 0
            job.state = state
            job.finalPath = destination.path
            job.finishedAt = Date()
        }
        try StateFolders.move(source.path, to: destination.path)
        try store.update(id) { job in job.sourcePath = destination.path }
        return destination
    }

    package static func writeReason(for destination: URL, file: String, reason: String, attempts: Int, logTail: [String]) throws {
        var text = "\(file): \(reason)\n\nattempts: \(attempts)\nquarantined: \(ISO8601DateFormatter().string(from: Date()))\n"
        if !logTail.isEmpty { text += "\nlast log lines:\n" + logTail.joined(separator: "\n") + "\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: destination.path + ".reason.txt"))
    }

    package static func folderSize(_ path: String) -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
