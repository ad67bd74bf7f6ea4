import Foundation
import Logging
import Transcoding

/// Makes the state folder consistent at start, whatever moment the last run was killed at:
/// running jobs go back to the queue, unfinished output folders are removed, moves recorded in
/// the journal but not done are finished, and files in `work/` without a job get one.
struct Reconciler {
    let store: JobStore
    let folders: StateFolders
    let output: URL
    let logger: Logger

    struct Report: Equatable {
        var requeued = 0
        var removedTemporary: [String] = []
        var finishedMoves = 0
        var recoveredFiles = 0
    }

    @discardableResult
    func run() throws -> Report {
        var report = Report()
        report.requeued = try store.requeueRunning()
        report.removedTemporary = Transcoder.removeUnfinished(in: output)
        let jobs = try store.jobs()
        for job in jobs where job.state.isTerminal {
            guard let id = job.id, let final = job.finalPath, job.sourcePath != final,
                  FileManager.default.fileExists(atPath: job.sourcePath) else { continue }
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
            "requeued": "\(report.requeued)", "removedTemporary": "\(report.removedTemporary.count)",
            "finishedMoves": "\(report.finishedMoves)", "recoveredFiles": "\(report.recoveredFiles)",
        ])
        return report
    }
}
