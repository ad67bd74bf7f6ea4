import Foundation
import GRDB
import Transcoding

/// One file's journey through the service, as stored in the job store.
public struct Job: Sendable, Codable, Equatable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "job"

    public var id: Int64?
    /// The name the file had in the inbox (its path below the inbox when it came in a folder).
    public var file: String
    /// Where the source is now (under `work/`, then `done/` or `quarantine/`).
    public var sourcePath: String
    /// Where the source goes when the job ends; written before the move so a crash can finish it.
    public var finalPath: String?
    /// SHA-256 of the content: the same bytes dropped twice are transcoded once.
    public var fingerprint: String
    public var size: Int64
    public var state: JobState
    public var attempts: Int
    /// When a queued job may run again (retry backoff); nil means now.
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// 0...1 while running.
    public var progress: Double
    /// Media seconds per wall second.
    public var speed: Double?
    /// Seconds left.
    public var eta: Double?
    public var currentRendition: String?
    /// The package's video uuid, fixed at creation so a job re-run after a crash recognises its own package.
    public var videoUUID: String
    public var outputDirectory: String?
    /// The job whose package this one duplicates.
    public var duplicateOf: Int64?
    /// One readable line on failure.
    public var reason: String?
    /// Last log lines of the failed attempt, newline-separated.
    public var logTail: String?
    public var durationSeconds: Double?
    /// Consecutive service deaths (kill -9, power loss) this job was running at; at
    /// `maxInterruptions` it is quarantined, so no input keeps a service in a restart loop.
    public var interruptions: Int
    /// The plan's size at most, once a child has probed the source: the free space it waits for.
    public var estimatedBytes: Int64?
    /// The source as the job took it (size, modification time, inode): a package is published,
    /// and a source filed away, only while the source is still exactly this.
    public var taken: SourceIdentity?
    /// Where the video was delivered (its watch page on the instance) once it was.
    public var remoteURL: String?
    /// What the destination says of it: `Published`, `To transcode`, …
    public var remoteState: String?

    public init(file: String, sourcePath: String, fingerprint: String, size: Int64, now: Date = Date()) {
        self.file = file
        self.sourcePath = sourcePath
        self.fingerprint = fingerprint
        self.size = size
        state = .queued
        attempts = 0
        createdAt = now
        updatedAt = now
        progress = 0
        interruptions = 0
        videoUUID = UUID().uuidString.lowercased()
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
