import Foundation

/// Puts a quarantined job (or one waiting out a retry backoff) back in the queue now.
package struct JobRetry: Sendable {
    let store: JobStore
    let folders: StateFolders
    let onQueued: @Sendable () -> Void

    package init(store: JobStore, folders: StateFolders, onQueued: @escaping @Sendable () -> Void) {
        self.store = store
        self.folders = folders
        self.onQueued = onQueued
    }

    package struct Refusal: Error, CustomStringConvertible {
        package var description: String
    }

    package func retry(_ id: Int64) throws -> Job {
        guard let job = try store.job(id) else { throw Refusal(description: "no job \(id)") }
        switch job.state {
        case .quarantined:
            let work = folders.workPath(for: job.file)
            try store.update(id) { job in job.finalPath = nil }
            try StateFolders.move(job.sourcePath, to: work.path)
            try? FileManager.default.removeItem(atPath: job.sourcePath + ".reason.txt")
            let updated = try store.update(id) { job in
                job.state = .queued
                job.sourcePath = work.path
                job.attempts = 0
                job.nextAttemptAt = nil
                job.finishedAt = nil
            }
            onQueued()
            return updated
        case .queued:
            let updated = try store.update(id) { job in job.nextAttemptAt = nil }
            onQueued()
            return updated
        default:
            throw Refusal(description: "job \(id) is \(job.state.rawValue); only quarantined or waiting jobs can be retried")
        }
    }
}
