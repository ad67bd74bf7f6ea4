import Foundation
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
    public var runner: any TranscodeRunner = EngineRunner()

    public init(options: ImportOptions, pipeline: Pipeline, logger: Logger) {
        self.options = options
        self.pipeline = pipeline
        self.logger = logger
    }

    /// Runs the import; `progress` receives one line of state as files complete.
    public func run(progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportReport {
        let started = Date()
        let folders = StateFolders(root: options.state)
        try folders.create()
        try FileManager.default.createDirectory(at: options.packages, withIntermediateDirectories: true)
        let store = try JobStore(path: folders.database.path)
        _ = try Reconciler(store: store, folders: folders, output: options.packages, logger: logger).run()

        let files = Self.files(in: options.library, excluding: options.output)
        var skipped: [String: String] = [:]
        var known = Dictionary(try store.jobs().map { ($0.sourcePath, $0) }, uniquingKeysWith: { first, _ in first })
        for file in files where known[file.path] == nil {
            if let reason = Self.notMedia(file) {
                skipped[file.path] = reason
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
            let job = try store.insert(Job(file: file.path, sourcePath: file.path, fingerprint: try Fingerprint.of(file: file), size: size))
            known[file.path] = job
        }

        var configuration = IngestConfiguration()
        configuration.output = options.packages
        configuration.baseURL = options.baseURL
        configuration.retryBackoff = 0
        let monitor = JobMonitor()
        var importProcessor = JobProcessor(store: store, folders: folders, configuration: configuration, pipeline: pipeline,
                                           runner: runner, logger: logger, monitor: monitor)
        importProcessor.movesSources = false
        let processor = importProcessor
        let options = self.options
        let found = Set(files.map(\.path))
        let total = try store.jobs().filter { found.contains($0.sourcePath) }
        let tracker = ImportProgressTracker(total: total, started: Date())
        progress(tracker.snapshot(store: store))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<options.workers {
                group.addTask {
                    while !Task.isCancelled, let job = try? store.claimNext() {
                        await processor.process(job)
                        let after = try? store.job(job.id ?? 0)
                        if let done = after, done.state == .done, options.layout == .peertube {
                            try? PeerTubeLayout(output: options.output).place(done)
                        }
                        progress(tracker.snapshot(store: store))
                        // Interrupted (queued again without using an attempt): this run is stopping;
                        // the job is left for the next one rather than taken again at once.
                        if let after, after.state == .queued, after.attempts < job.attempts, after.nextAttemptAt == nil { break }
                    }
                }
            }
        }
        if options.layout == .peertube {
            for job in try store.jobs(state: .done) { try PeerTubeLayout(output: options.output).place(job) }
        }
        let report = try makeReport(files: files, skipped: skipped, store: store, started: started)
        try write(report, store: store)
        return report
    }

    /// Extensions that label an unreadable file as a broken video rather than something else.
    static let mediaExtensions: Set<String> = ["mp4", "m4v", "mkv", "webm", "mov", "avi", "ogv", "ogg", "ts", "mts", "m2ts",
                                               "mpg", "mpeg", "flv", "wmv", "3gp", "mp3", "flac", "wav", "m4a", "opus", "aac"]

    /// Every regular file under `folder`, recursively, skipping hidden names and the output.
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
        return files.sorted { $0.path < $1.path }
    }

    /// Nil when FFmpeg sees audio or video worth transcoding; otherwise why the file is skipped.
    static func notMedia(_ file: URL) -> String? {
        do {
            let report = try MediaProbe.probe(file).report
            try MediaProbe.validate(report)
            return nil
        } catch {
            return error.reason
        }
    }

    private func makeReport(files: [URL], skipped: [String: String], store: JobStore, started: Date) throws -> ImportReport {
        let jobs = Dictionary(try store.jobs().map { ($0.sourcePath, $0) }, uniquingKeysWith: { first, _ in first })
        let byID = Dictionary(jobs.values.compactMap { job in job.id.map { ($0, job) } }, uniquingKeysWith: { first, _ in first })
        let entries = files.map { file -> ImportReport.Entry in
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
            guard let job = jobs[file.path] else {
                // Found by probing, not by name; but a file named like a video that FFmpeg cannot read is a broken video.
                let status = Self.mediaExtensions.contains(file.pathExtension.lowercased()) ? "failed" : "skipped"
                return ImportReport.Entry(file: file.path, status: status, bytesIn: size, error: skipped[file.path] ?? "not a video")
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
                duplicateOf: job.duplicateOf.flatMap { byID[$0]?.file })
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
