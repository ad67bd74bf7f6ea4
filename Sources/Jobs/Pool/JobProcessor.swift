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

    package init(store: JobStore, folders: StateFolders, policy: JobPolicy, pipeline: Pipeline, runner: any TranscodeRunner,
                 logger: Logger, monitor: JobMonitor, diskGuard: DiskGuard, movesSources: Bool = true) {
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
            try finish(id, source: source, state: .done, folder: folders.done, name: job.file) { job in
                job.outputDirectory = result.directory
                job.progress = 1
                job.eta = 0
                if let duration = result.duration { job.durationSeconds = duration }
            }
            monitor.recordDone(seconds: result.duration ?? 0, bytesIn: job.size,
                               bytesOut: Self.folderSize(result.directory))
            log.info("job done", metadata: ["state": "done", "directory": "\(result.directory)"])
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

    private func transcode(_ job: Job, id: Int64, source: URL, cancellation: CancellationFlag) async throws -> TranscodeResult {
        // The upload's own name: a watch-folder source now lives under a work name.
        let uploadName = URL(fileURLWithPath: job.file).lastPathComponent
        let options = TranscodeOptions(pipeline: pipeline, outputDirectory: policy.output, videoUUID: UUID(uuidString: job.videoUUID),
                                       baseURL: policy.baseURL, limits: policy.inputLimits, videoName: uploadName)
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

    /// Back to the queue without using up an attempt (shutdown, or no room on the disk).
    private func requeueUncharged(_ id: Int64, reason: String?, log: Logger) {
        _ = try? store.update(id) { job in
            job.state = .queued
            job.attempts = max(0, job.attempts - 1)
            job.progress = 0
            job.interruptions = 0
            job.nextAttemptAt = nil
            if let reason { job.reason = reason }
        }
        log.info("job queued again, attempt not charged", metadata: ["state": "queued", "reason": "\(reason ?? "shutdown")"])
    }

    private func retryOrQuarantine(_ job: Job, id: Int64, source: URL, reason: String, logTail: [String],
                                   retryable: Bool, log: Logger) {
        let attempts = (try? store.job(id))?.attempts ?? job.attempts
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
