import Foundation
import Jobs
import Ladder
import Logging
import Packaging
import Transcoding

/// `sluice import`: transcode a whole library before an instance launches (PeerTube has no
/// bulk import from local disk). Files are found recursively and recognised by probing, not by
/// extension; jobs go through the same store and processor as the watch folder, so a second
/// run skips what is done and a killed run resumes where it stopped. Sources are only read.
public struct LibraryImport: Sendable {
    public let options: ImportOptions
    public let pipeline: Pipeline
    public let logger: Logger
    /// Where jobs and checks run: each in a child process unless a caller says otherwise.
    public var runner: any TranscodeRunner
    /// The pool while jobs run, so an interruption can stop it.
    private let pool = LockedValue<WorkerPoolService?>(nil)
    /// Holds the queue while the publishing instance cannot take anything.
    private let hold = QueueHold()

    /// Why no job is taken now (a revoked login, a full quota, an unreachable instance), if so.
    public var holdReason: String? { hold.reason }

    public init(options: ImportOptions, pipeline: Pipeline, logger: Logger, runner: (any TranscodeRunner)? = nil) {
        self.options = options
        self.pipeline = pipeline
        self.logger = logger
        self.runner = runner ?? IsolatedRunner(limits: ProcessLimits(memory: ProcessLimits.defaultMemory(workers: options.workers)))
    }

    /// Stops the import (Ctrl-C): no new job is taken and the running ones are ended now; they go
    /// back to the queue uncharged and the next run resumes them. `run()` then writes the report.
    public func interrupt() {
        pool.value?.stopNow()
    }

    /// Runs the import; `progress` receives one line of state as files complete.
    public func run(progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportReport {
        let started = Date()
        let folders = StateFolders(root: options.state)
        try folders.create()
        try FileManager.default.createDirectory(at: options.packages, withIntermediateDirectories: true)
        let store = try JobStore(path: folders.database.path)
        let policy = options.jobPolicy
        _ = try Reconciler(store: store, folders: folders, output: options.packages, maxInterruptions: policy.maxInterruptions,
                           movesSources: false, logger: logger).run()

        var files = Self.files(in: options.library, excluding: options.output)
        if let shard = options.shard { files = files.filter(shard.contains) }
        let (refusals, writing) = try await queue(files, store: store, limits: policy.inputLimits)
        let found = Set(files.map(\.path))
        let tracker = ImportProgressTracker(total: try store.jobs().filter { found.contains($0.sourcePath) }, started: Date())
        progress(tracker.snapshot(store: store))
        try await runJobs(store: store, folders: folders, policy: policy) { progress(tracker.snapshot(store: store)) }
        if options.layout == .peertube {
            for job in try store.jobs(state: .done) { try PeerTubeLayout(output: options.output).place(job) }
        }
        let report = try makeReport(files: files, refusals: refusals, writing: writing, store: store, started: started)
        try write(report, store: store)
        return report
    }

    /// Checks the files not yet in the store and queues those Sluice can transcode; returns why
    /// each refused file was refused, and the files left because they are still being written.
    private func queue(_ files: [URL], store: JobStore, limits: InputLimits) async throws
        -> (refusals: [String: TranscodeError], writing: Set<String>) {
        let known = Set(try store.jobs().map(\.sourcePath))
        let unknown = files.filter { !known.contains($0.path) }
        // A file another process is still writing is left for the next run (not checked, not
        // queued): a part of it must never be imported.
        let writing = Set(unknown.filter { WriterCheck.state(of: $0.path) == .openForWriting }.map(\.path))
        let refusals = await check(unknown.filter { !writing.contains($0.path) }, limits: limits)
        for file in unknown where refusals[file.path] == nil && !writing.contains(file.path) {
            let taken = SourceIdentity.of(file.path)
            var job = Job(file: file.path, sourcePath: file.path, fingerprint: try Fingerprint.of(file: file), size: taken?.size ?? 0)
            job.taken = taken
            try store.insert(job)
        }
        return (refusals, writing)
    }

    /// Runs every queued job through the job layer's worker pool (its stall watchdog, retries
    /// and disk guard, as the watch service's) until none is queued, waiting for a retry or
    /// running; `attemptEnded` is called as each attempt ends.
    private func runJobs(store: JobStore, folders: StateFolders, policy: JobPolicy,
                         attemptEnded: @escaping @Sendable () -> Void) async throws {
        let monitor = JobMonitor()
        let diskGuard = DiskGuard(paths: [options.packages, folders.root], minimumFree: policy.minFreeSpace)
        let processor = JobProcessor(store: store, folders: folders, policy: policy, pipeline: pipeline, runner: runner,
                                     logger: logger, monitor: monitor, diskGuard: diskGuard, movesSources: false,
                                     delivery: options.delivery, hold: hold)
        let pool = WorkerPoolService(store: store, processor: processor, monitor: monitor, workers: options.workers,
                                     logger: logger, stopsWhenDrained: true)
        self.pool.value = pool
        defer { self.pool.value = nil }
        let ends = monitor.attemptEnds()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in ends { attemptEnded() } }
            try await pool.run()
            group.cancelAll()
        }
    }

    static let stillBeingWritten = JobProcessor.stillBeingWritten + "; the next import takes it"

    /// Extensions that label an unreadable file as a broken video rather than something else.
    static let mediaExtensions: Set<String> = ["mp4", "m4v", "mkv", "webm", "mov", "avi", "ogv", "ogg", "ts", "mts", "m2ts",
                                               "mpg", "mpeg", "flv", "wmv", "3gp", "mp3", "flac", "wav", "m4a", "opus", "aac"]

    /// Every regular file under `folder`, recursively, skipping hidden names, the output, and
    /// metadata sidecars (`NAME.yaml`, `.yml` or `.json` beside a `NAME.ext`).
    static func files(in folder: URL, excluding output: URL) -> [URL] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isHiddenKey]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys,
                                                              options: [.skipsHiddenFiles]) else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator {
            let standardized = url.standardizedFileURL
            if standardized.path.hasPrefix(output.path + "/") || standardized.path == output.path {
                enumerator.skipDescendants()
                continue
            }
            if (try? url.resourceValues(forKeys: Set(keys)))?.isRegularFile == true { files.append(standardized) }
        }
        let bases = Set(files.filter { !SidecarFile.isSidecar($0.lastPathComponent) }.map { $0.deletingPathExtension().path })
        return files.filter { !(SidecarFile.isSidecar($0.lastPathComponent) && bases.contains($0.deletingPathExtension().path)) }
            .sorted { $0.path < $1.path }
    }

    /// Checks `files` through the runner (in child processes, `workers` at a time, so a file that
    /// crashes or hangs FFmpeg's probe fails alone); returns why each refused file was refused.
    private func check(_ files: [URL], limits: InputLimits) async -> [String: TranscodeError] {
        let runner = self.runner
        return await withTaskGroup(of: (String, TranscodeError?).self) { group in
            var refusals: [String: TranscodeError] = [:]
            var pending = files.makeIterator()
            func next() -> Bool {
                guard let file = pending.next() else { return false }
                group.addTask {
                    do {
                        try await runner.check(file: file, limits: limits)
                        return (file.path, nil)
                    } catch let error as TranscodeError {
                        return (file.path, error)
                    } catch {
                        return (file.path, TranscodeError(.internalFailure, file: file.path, reason: "\(error)"))
                    }
                }
                return true
            }
            for _ in 0..<max(1, options.workers) where next() {}
            for await (path, refusal) in group {
                if let refusal { refusals[path] = refusal }
                _ = next()
            }
            return refusals
        }
    }

    private func makeReport(files: [URL], refusals: [String: TranscodeError], writing: Set<String>, store: JobStore,
                            started: Date) throws -> ImportReport {
        let jobs = Dictionary(try store.jobs().map { ($0.sourcePath, $0) }, uniquingKeysWith: { first, _ in first })
        let byID = Dictionary(jobs.values.compactMap { job in job.id.map { ($0, job) } }, uniquingKeysWith: { first, _ in first })
        let entries = files.map { file -> ImportReport.Entry in
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
            if writing.contains(file.path) {
                return ImportReport.Entry(file: file.path, status: "skipped", bytesIn: size, error: Self.stillBeingWritten)
            }
            guard let job = jobs[file.path] else {
                // Found by probing, not by name; but a file named like a video that FFmpeg cannot read is a
                // broken video, and one that crashed or hung the probe failed whatever its name.
                let refusal = refusals[file.path]
                let failed = refusal.map { $0.kind != .badInput } ?? false
                    || Self.mediaExtensions.contains(file.pathExtension.lowercased())
                return ImportReport.Entry(file: file.path, status: failed ? "failed" : "skipped", bytesIn: size,
                                          error: refusal?.reason ?? "not a video")
            }
            let manifest = job.outputDirectory.flatMap { try? PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: $0).appendingPathComponent("manifest.json"))) }
            let status: String
            switch job.state {
            case .done: status = "done"
            case .duplicate: status = "duplicate"
            case .quarantined: status = "failed"
            case .queued, .running: status = "pending"
            }
            return ImportReport.Entry(
                file: file.path, status: status, outputFolder: job.outputDirectory, duration: manifest?.duration,
                renditions: manifest?.renditions.map(\.resolution), bytesIn: job.size,
                bytesOut: job.outputDirectory.map(JobProcessor.folderSize),
                seconds: zip(job.startedAt, job.finishedAt).map { $1.timeIntervalSince($0) }, error: job.state == .quarantined ? job.reason : nil,
                duplicateOf: job.duplicateOf.flatMap { byID[$0]?.file }, remoteURL: job.remoteURL, remoteState: job.remoteState)
        }
        let counts = Dictionary(grouping: entries, by: \.status).mapValues(\.count)
        return ImportReport(library: options.library.path, output: options.output.path, startedAt: started, finishedAt: Date(),
                            counts: counts, entries: entries)
    }

    private func write(_ report: ImportReport, store: JobStore) throws {
        let encoder = JobView.encoder()
        try encoder.encode(report).write(to: options.output.appendingPathComponent("import-report.json"))
        let packages = try store.jobs(state: .done).compactMap { job -> PackageIndexEntry? in
            guard let directory = job.outputDirectory,
                  let manifest = try? PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("manifest.json")))
            else { return nil }
            return PackageIndexEntry(source: job.file, directory: directory, manifest: manifest)
        }
        try encoder.encode(["packages": packages]).write(to: options.output.appendingPathComponent("index.json"))
    }
}

/// One package in `index.json`: where it is, where it came from, and its manifest.
struct PackageIndexEntry: Codable, Sendable {
    var source: String
    var directory: String
    var manifest: PackageManifest
}

private func zip(_ first: Date?, _ second: Date?) -> (Date, Date)? {
    guard let first, let second else { return nil }
    return (first, second)
}
