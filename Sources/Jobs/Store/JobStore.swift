import Foundation
import GRDB

/// The durable job journal: SQLite through GRDB in the state folder, with migrations.
///
/// Every state change is one transaction, so a `kill -9` leaves the journal at a state boundary;
/// `Reconciler` turns that into a consistent picture at the next start.
public final class JobStore: Sendable {
    private let database: DatabaseQueue
    public let path: String

    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(5)
        database = try DatabaseQueue(path: path, configuration: configuration)
        if !readOnly { try Self.migrator.migrate(database) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs") { db in
            try db.create(table: "job") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("file", .text).notNull()
                table.column("sourcePath", .text).notNull()
                table.column("finalPath", .text)
                table.column("fingerprint", .text).notNull().indexed()
                table.column("size", .integer).notNull()
                table.column("state", .text).notNull().indexed()
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("nextAttemptAt", .datetime)
                table.column("createdAt", .datetime).notNull()
                table.column("updatedAt", .datetime).notNull()
                table.column("startedAt", .datetime)
                table.column("finishedAt", .datetime)
                table.column("progress", .double).notNull().defaults(to: 0)
                table.column("speed", .double)
                table.column("eta", .double)
                table.column("currentRendition", .text)
                table.column("videoUUID", .text).notNull()
                table.column("outputDirectory", .text)
                table.column("duplicateOf", .integer)
                table.column("reason", .text)
                table.column("logTail", .text)
                table.column("durationSeconds", .double)
            }
        }
        migrator.registerMigration("v2: isolation") { db in
            try db.alter(table: "job") { table in
                table.add(column: "interruptions", .integer).notNull().defaults(to: 0)
                table.add(column: "estimatedBytes", .integer)
            }
        }
        migrator.registerMigration("v3: source identity") { db in
            try db.alter(table: "job") { table in
                table.add(column: "taken", .text)
            }
        }
        migrator.registerMigration("v4: delivery") { db in
            try db.alter(table: "job") { table in
                table.add(column: "remoteURL", .text)
                table.add(column: "remoteState", .text)
            }
        }
        return migrator
    }

    @discardableResult
    public func insert(_ job: Job) throws -> Job {
        try database.write { db in
            var job = job
            try job.insert(db)
            return job
        }
    }

    public func job(_ id: Int64) throws -> Job? {
        try database.read { db in try Job.fetchOne(db, key: id) }
    }

    public func jobs(state: JobState? = nil) throws -> [Job] {
        try database.read { db in
            var request = Job.order(Column("id"))
            if let state { request = request.filter(Column("state") == state.rawValue) }
            return try request.fetchAll(db)
        }
    }

    /// Jobs by state, for metrics and status.
    public func counts() throws -> [JobState: Int] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state")
            var counts: [JobState: Int] = [:]
            for row in rows { if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] } }
            return counts
        }
    }

    /// Atomically takes the oldest runnable queued job: due for (re)try, and not the same content
    /// as a job already running (two copies dropped at once must not both be transcoded).
    public func claimNext(now: Date = Date()) throws -> Job? {
        try database.write { db in
            let running = try String.fetchSet(db, sql: "SELECT fingerprint FROM job WHERE state = 'running'")
            let candidates = try Job.filter(Column("state") == JobState.queued.rawValue)
                .filter(Column("nextAttemptAt") == nil || Column("nextAttemptAt") <= now)
                .order(Column("id")).fetchAll(db)
            guard var job = candidates.first(where: { !running.contains($0.fingerprint) }) else { return nil }
            job.state = .running
            job.attempts += 1
            job.startedAt = now
            job.updatedAt = now
            job.progress = 0
            job.reason = nil
            try job.update(db)
            return job
        }
    }

    /// Whether any job is still queued (due now or waiting for a retry) or running: what a pool
    /// that stops when its queue is empty asks before it stops.
    public func hasUnfinishedJobs() throws -> Bool {
        try database.read { db in
            try Job.filter([JobState.queued.rawValue, JobState.running.rawValue].contains(Column("state"))).fetchCount(db) > 0
        }
    }

    /// The first job that published this content, if any.
    public func publishedJob(fingerprint: String) throws -> Job? {
        try database.read { db in
            try Job.filter(Column("fingerprint") == fingerprint && Column("state") == JobState.done.rawValue)
                .order(Column("id")).fetchOne(db)
        }
    }

    /// Applies `change` to the stored job and saves it, enforcing the state machine.
    @discardableResult
    public func update(_ id: Int64, now: Date = Date(), _ change: (inout Job) -> Void) throws -> Job {
        try database.write { db in
            guard var job = try Job.fetchOne(db, key: id) else { throw JobStoreError.missing(id) }
            let before = job.state
            change(&job)
            if job.state != before && !before.canMove(to: job.state) {
                throw JobStoreError.illegalTransition(id: id, from: before, to: job.state)
            }
            job.updatedAt = now
            try job.update(db)
            return job
        }
    }

    /// Progress of a running job; never fails the job if the database is briefly busy.
    public func recordProgress(_ id: Int64, progress: Double, speed: Double?, eta: Double?, rendition: String?) {
        _ = try? database.write { db in
            try db.execute(sql: """
                UPDATE job SET progress = ?, speed = ?, eta = ?, currentRendition = ?, updatedAt = ?
                WHERE id = ? AND state = 'running'
                """, arguments: [progress, speed, eta, rendition, Date(), id])
        }
    }

    /// Jobs still `running` at start were interrupted by the service's own death: they go back to
    /// the queue without being charged the attempt, unless this was their `maxInterruptions`-th
    /// death in a row, in which case they are quarantined (`quarantinePath` gives where the
    /// source goes, nil to leave it in place) so no input can keep the service restarting.
    public func recoverInterrupted(maxInterruptions: Int, now: Date = Date(),
                                   quarantinePath: (Job) -> String?) throws -> (requeued: Int, quarantined: Int) {
        try database.write { db in
            var counts = (requeued: 0, quarantined: 0)
            for var job in try Job.filter(Column("state") == JobState.running.rawValue).fetchAll(db) {
                job.interruptions += 1
                job.attempts = max(0, job.attempts - 1)
                job.progress = 0
                job.updatedAt = now
                if job.interruptions >= maxInterruptions {
                    job.state = .quarantined
                    job.reason = "the service died \(job.interruptions) times in a row while this job ran; "
                        + "quarantined so it cannot keep the service in a restart loop"
                    job.finalPath = quarantinePath(job)
                    job.finishedAt = now
                    counts.quarantined += 1
                } else {
                    job.state = .queued
                    counts.requeued += 1
                }
                try job.update(db)
            }
            return counts
        }
    }
}

public enum JobStoreError: Error, CustomStringConvertible {
    case missing(Int64)
    case illegalTransition(id: Int64, from: JobState, to: JobState)

    public var description: String {
        switch self {
        case .missing(let id): "no job \(id)"
        case .illegalTransition(let id, let from, let to): "job \(id) cannot go from \(from.rawValue) to \(to.rawValue)"
        }
    }
}
