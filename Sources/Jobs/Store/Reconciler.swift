import Foundation
import Logging
import Transcoding

/// Makes the state folder consistent at start, whatever moment the last run was killed at:
/// running jobs go back to the queue, unfinished output folders are removed, moves recorded in
/// the journal but not done are finished, and files in `work/` without a job get one.
package struct Reconciler {
    let store: JobStore
    let folders: StateFolders
    let output: URL
    /// Consecutive service deaths a running job may see before it is quarantined.
    let maxInterruptions: Int
    /// The watch folder files quarantined sources away; an import leaves them in the library.
    let movesSources: Bool
    let logger: Logger

    package init(store: JobStore, folders: StateFolders, output: URL, maxInterruptions: Int, movesSources: Bool, logger: Logger) {
        self.store = store
        self.folders = folders
        self.output = output
        self.maxInterruptions = maxInterruptions
        self.movesSources = movesSources
        self.logger = logger
    }

    package struct Report: Equatable {
        package var requeued = 0
        package var quarantined = 0
        package var removedTemporary: [String] = []
        package var finishedMoves = 0
        package var recoveredFiles = 0
    }

    @discardableResult
    package func run() throws -> Report {
        var report = Report()
        let folders = self.folders
        let movesSources = self.movesSources
        (report.requeued, report.quarantined) = try store.recoverInterrupted(maxInterruptions: maxInterruptions) { job in
            movesSources ? StateFolders.freePath(in: folders.quarantine, for: job.file).path : nil
        }
        report.removedTemporary = Transcoder.removeUnfinished(in: output)
        let jobs = try store.jobs()
        for job in jobs where job.state.isTerminal {
            guard let id = job.id, let final = job.finalPath, job.sourcePath != final,
                  FileManager.default.fileExists(atPath: job.sourcePath) else { continue }
            try FileManager.default.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try StateFolders.move(job.sourcePath, to: final)
            try store.update(id) { $0.sourcePath = final }
            if job.state == .quarantined, !FileManager.default.fileExists(atPath: final + ".reason.txt") {
                try JobProcessor.writeReason(for: URL(fileURLWithPath: final), file: job.file, reason: job.reason ?? "failed",
                                             attempts: job.attempts, logTail: job.logTail.map { [$0] } ?? [])
            }
            report.finishedMoves += 1
        }
        let known = Set(jobs.map(\.sourcePath))
        let workFiles = (try? FileManager.default.contentsOfDirectory(atPath: folders.work.path)) ?? []
        for name in workFiles.sorted() {
            let path = folders.work.appendingPathComponent(name).path
            guard !known.contains(path) else { continue }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            let fingerprint = try Fingerprint.of(file: URL(fileURLWithPath: path))
            try store.insert(Job(file: StateFolders.originalName(ofWorkFile: name), sourcePath: path,
                                 fingerprint: fingerprint, size: size))
            report.recoveredFiles += 1
        }
        logger.info("reconciled state", metadata: [
            "requeued": "\(report.requeued)", "quarantined": "\(report.quarantined)", "removedTemporary": "\(report.removedTemporary.count)",
            "finishedMoves": "\(report.finishedMoves)", "recoveredFiles": "\(report.recoveredFiles)",
        ])
        return report
    }
}
