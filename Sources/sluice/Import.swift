import ArgumentParser
import Foundation
import Ingest
import Jobs
import Ladder
import Logging
import PeerTubeClient
import Transcoding

extension Sluice {
    /// `sluice import DIR --tier T --output OUT [--workers N] [--base-url URL] [--layout flat|peertube] [--json]`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transcode a whole library (recursively) before an instance launches; re-runs resume.",
            discussion: """
            Every file under DIR is probed; what FFmpeg reads as audio or video is transcoded, the rest is \
            reported as skipped. Jobs live in OUT/.state, so a second run transcodes nothing new and a \
            killed run finishes the rest. Writes OUT/import-report.json and OUT/index.json. Sources are \
            only read.
            """)

        @Argument(help: "The library folder.")
        var library: String

        @OptionGroup var tier: TierOptions

        @Option(name: .shortAndLong, help: "Folder that receives the packages.")
        var output: String = "out"

        @Option(help: "Concurrent transcodes (default: the configuration's, else the core count).")
        var workers: Int?

        @Option(help: "The import's state folder: job store, and with --publish the login and publications (default OUT/.state).")
        var state: String?

        @Option(help: "I/N: take only share I (0-based) of N of the library, by content, for N machines; auto/N reads I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).")
        var shard: String?

        @OptionGroup var publishing: PublishOptions

        @Option(help: "A sluice.yaml whose job settings (stallTimeout, maxAttempts, retryBackoff, limits) apply as for watch (default: ./sluice.yaml if present).")
        var config: String?

        @Option(help: "flat: OUT/<videoUUID>/ per video; peertube: PeerTube's storage tree.")
        var layout: String = "flat"

        @OptionGroup var seeding: SeedingOptions

        @OptionGroup var limits: JobLimitOptions

        @Flag(help: "Print the report as JSON on stdout.")
        var json = false

        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard ImportOptions.Layout(rawValue: layout) != nil else {
                throw ValidationError("--layout must be flat or peertube")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: library, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(library) is not a folder")
            }
        }

        func run() async throws {
            let pipeline = try CommandFailure.guarding { try tier.load() }
            var quiet = logging
            if quiet.logLevel == "info" { quiet.logLevel = "warning" }  // the progress line says enough
            let logger = quiet.bootstrap()
            let settings = try loadSettings()
            var options = ImportOptions(library: URL(fileURLWithPath: library), output: URL(fileURLWithPath: output),
                                        state: state.map { URL(fileURLWithPath: $0) },
                                        workers: settings.workers, baseURL: seeding.baseURL ?? settings.baseURL,
                                        layout: ImportOptions.Layout(rawValue: layout) ?? .flat)
            options.policy = settings.jobPolicy
            options.shard = try shard.map(Self.shard)
            do {
                options.delivery = try publishing.delivery(settings: settings, state: options.state, pipeline: pipeline, logger: logger,
                                                           names: nil)
            } catch let error as InstanceError {
                CommandFailure.printLine("sluice: \(error)")
                throw ExitCode(2)
            }
            let bar = ImportProgressLine(enabled: isatty(STDERR_FILENO) == 1)
            let importer = LibraryImport(options: options, pipeline: pipeline, logger: logger,
                                         runner: settings.runner)
            // Ctrl-C or SIGTERM: running jobs end, go back to the queue, and the report is still written.
            let interrupts = InterruptHandler { importer.interrupt() }
            let report = try await importer.run { bar.show($0, held: importer.holdReason) }
            interrupts.restore()
            bar.finish()
            if json {
                print(try JSONOutput.string(report))
            } else {
                print(report.summary)
            }
            if report.counts["failed", default: 0] > 0 { throw ExitCode(1) }
        }

        /// `I/N`, or `auto/N` with I from `JOB_COMPLETION_INDEX`.
        static func shard(_ text: String) throws -> Shard {
            var text = text
            if text.hasPrefix("auto/") {
                guard let index = ProcessInfo.processInfo.environment["JOB_COMPLETION_INDEX"] else {
                    throw ValidationError("--shard auto/N needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job)")
                }
                text = index + text.dropFirst(4)
            }
            guard let shard = Shard(text) else { throw ValidationError("--shard must be I/N with 0 <= I < N (got \(text))") }
            return shard
        }

        /// The watch service's job settings: `sluice.yaml`, then `SLUICE_*`, then flags.
        private func loadSettings() throws -> IngestConfiguration {
            let file = URL(fileURLWithPath: config ?? "sluice.yaml")
            if config != nil && !FileManager.default.fileExists(atPath: file.path) {
                throw ValidationError("no configuration file at \(file.path)")
            }
            do {
                var settings = try IngestConfiguration.load(file: file, environment: ProcessInfo.processInfo.environment)
                var values = limits.values.merging(publishing.values) { $1 }
                if let workers { values["workers"] = String(workers) }
                try settings.apply(values)
                return settings
            } catch {
                CommandFailure.printLine("sluice: \(error)")
                throw ExitCode(2)
            }
        }
    }
}

/// The one progress line of an import.
final class ImportProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: ImportProgress, held: String? = nil) {
        if let held { CommandFailure.printLine("\rsluice: holding the queue: \(held)") }
        guard enabled else { return }
        var line = "\(progress.filesDone)/\(progress.filesTotal) files  "
            + String(format: "%.1f/%.1f MB  %.1f MB/s", Double(progress.bytesDone) / 1e6, Double(progress.bytesTotal) / 1e6,
                     progress.bytesPerSecond / 1e6)
        if let eta = progress.eta, eta.isFinite { line += "  ETA " + Timecode.compact(eta) }
        if !progress.running.isEmpty { line += "  " + progress.running.joined(separator: ", ") }
        lock.withLock { FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8)) }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

