import Foundation
import Transcoding

/// How the job layer treats every job, whoever queued it (watch folder, import, runner): where
/// packages go, how often a failure is retried, when a job counts as stalled, and what a job's
/// child process may use.
public struct JobPolicy: Sendable, Equatable {
    /// The folder that receives `<videoUUID>/`.
    public var output: URL
    /// The instance's public URL, for torrent web seeds and trackers.
    public var baseURL: String?
    public var maxAttempts = 3
    /// Seconds before the first retry; doubles with every attempt.
    public var retryBackoff: TimeInterval = 30
    /// Seconds without progress (as the child reports it) before a job is ended by force.
    public var stallTimeout: TimeInterval = 120
    /// Seconds running jobs get to finish on a graceful shutdown.
    public var shutdownTimeout: TimeInterval = 30
    /// A job that was running at this many consecutive service deaths is quarantined, so no
    /// input can keep a supervised service in a restart loop.
    public var maxInterruptions = 3
    /// Inputs over these are refused at probe.
    public var inputLimits = InputLimits(maxDuration: 24 * 3600, maxPixels: 7680 * 4320)
    /// Free space kept on the output and state file systems beyond every job's estimate.
    public var minFreeSpace: Int64 = 512 << 20
    /// Seconds before a job whose source is still being written (or changed under it) is looked
    /// at again.
    public var writerRecheck: TimeInterval = 2
    /// Seconds a queue held for a person's action (log in again, free quota) waits before one
    /// job tries again.
    public var holdRetry: TimeInterval = 60

    public init(output: URL) {
        self.output = output
    }
}
