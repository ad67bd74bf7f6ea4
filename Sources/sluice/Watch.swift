import ArgumentParser
import Foundation
import Ingest
import Ladder
import Logging
import PeerTubeClient

extension Sluice {
    /// `sluice watch --inbox DIR --output DIR --state DIR --tier T [--workers N] [--settle S] [--http HOST:PORT]`.
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the watch-folder service: transcode every video dropped into the inbox.",
            discussion: """
            Copy files into the inbox under a temporary name (or elsewhere on the same file system) and \
            rename them into it when complete: names starting with '.' or ending in .part, .tmp, \
            .crdownload or ~ are ignored, and a file is taken only after its size and modification time \
            have not changed for --settle seconds. Sources end in STATE/done/ or STATE/quarantine/ \
            (with NAME.reason.txt); none is ever deleted. SIGTERM or Ctrl-C stops taking files and lets \
            running jobs finish (up to shutdownTimeout); interrupted jobs resume at the next start.
            """)

        @Option(help: "A sluice.yaml with the same keys (default: ./sluice.yaml if present).")
        var config: String?

        @Option(help: "Folder to watch.") var inbox: String?
        @Option(help: "Folder that receives the packages.") var output: String?
        @Option(help: "State folder: job store, work/, done/, quarantine/.") var state: String?
        @Option(help: "Instance tier: small, mid, large or pipelines/NAME.yaml.") var tier: String?
        @Option(help: "Concurrent jobs (default: the core count).") var workers: Int?
        @Option(help: "Seconds a file must stay unchanged before it is taken (default 10).") var settle: Double?
        @Option(help: "HTTP status listener, host:port (default 127.0.0.1:8080; 'off' to disable).") var http: String?
        @Option(help: "The instance's public URL, for torrent web seeds and trackers.") var baseURL: String?
        @OptionGroup var limits: JobLimitOptions
        @OptionGroup var publishing: PublishOptions
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            var values = limits.values
            if let inbox { values["inbox"] = inbox }
            if let output { values["output"] = output }
            if let state { values["state"] = state }
            if let tier { values["tier"] = tier }
            if let workers { values["workers"] = String(workers) }
            if let settle { values["settle"] = String(settle) }
            if let http { values["http"] = http }
            if let baseURL { values["baseUrl"] = baseURL }
            values.merge(publishing.values) { $1 }
            let file = URL(fileURLWithPath: config ?? "sluice.yaml")
            if config != nil && !FileManager.default.fileExists(atPath: file.path) {
                throw ValidationError("no configuration file at \(file.path)")
            }
            var configuration: IngestConfiguration
            do {
                configuration = try IngestConfiguration.load(file: file, environment: ProcessInfo.processInfo.environment)
                try configuration.apply(values)
            } catch {
                CommandFailure.printLine("sluice: \(error)")
                throw ExitCode(2)
            }
            let pipeline = try CommandFailure.guarding { try PipelineCatalog.standard().pipeline(named: configuration.tier) }
            let logger = logging.bootstrap()
            do {
                let delivery = try publishing.delivery(settings: configuration, state: configuration.state, pipeline: pipeline, logger: logger,
                                                       names: configuration.inbox)
                try await IngestService.run(configuration: configuration, pipeline: pipeline, logger: logger, delivery: delivery)
            } catch let error as InstanceError {
                CommandFailure.printLine("sluice: \(error)")
                throw ExitCode(2)
            } catch let error as ConfigurationError {
                CommandFailure.printLine("sluice: \(error)")
                throw ExitCode(2)
            }
        }
    }
}
