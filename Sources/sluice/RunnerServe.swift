import ArgumentParser
import Foundation
import PeerTubeClient
import Ingest
import Jobs
import Ladder
import Logging
import Metrics
import Prometheus
import Runner
import ServiceLifecycle

extension Sluice {
    /// `sluice runner serve --state DIR [--concurrency N] [--jobs TYPES] [--tier T]`.
    struct RunnerServe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Take transcoding jobs from every registered instance until stopped.",
            discussion: """
            All the pending jobs of one video are accepted together and made from one download and one \
            decode. Each held job is kept alive with /update every 20 s; a failure posts /error with its \
            reason; SIGTERM or Ctrl-C gives held jobs back with /abort. Jobs held by a runner that was \
            killed are given back at its next start. A studio edit applies all its tasks in one pass; a \
            live is pulled over RTMP and sent chunk by chunk until its stream ends (stopping the runner \
            ends the lives it holds, as PeerTube ends a live whose runner leaves).
            """)

        @Option(help: "A sluice.yaml whose runner: section sets these too (default: ./sluice.yaml if present).")
        var config: String?

        @Option(help: "The runner's state folder, as given to `sluice runner register` (default ./state).")
        var state: String?

        @Option(help: "Videos (or lives, or studio edits) processed at once, each one pass for all its jobs (default 1: a pass uses every core; a live holds its slot while it runs).")
        var concurrency: Int?

        @Option(help: "Job types to take, comma-separated (default: all six: vod-web-video-transcoding, vod-hls-transcoding, vod-audio-merge-transcoding, generate-video-storyboard, video-studio-transcoding, live-rtmp-hls-transcoding).")
        var jobs: String?

        @Option(help: "Encoder settings from this tier or pipelines/NAME.yaml; its rungs are ignored, the jobs name them (default large).")
        var tier: String?

        @Option(help: "Seconds between polls of /jobs/request while idle (default 5).")
        var poll: Double?

        @Option(help: "HTTP listener for /healthz and /metrics, host:port, or off (default 127.0.0.1:8081).")
        var http: String?

        @Option(help: "Memory one pass may use, e.g. 3G (default: 3/4 of RAM shared by the passes).")
        var jobMemoryLimit: String?

        @Option(help: "Scheduling priority of the passes, 0 to 19 (default 19).")
        var niceness: Int32?

        @Option(help: "Seconds a pass may make no progress before it is ended and its jobs reported failed (default 120).")
        var stallTimeout: Double?

        @Option(help: "Seconds a live's RTMP stream may send nothing before the live is ended with that reason (default 10; PeerTube ends a live it hears nothing from for 30 s).")
        var liveReadTimeout: Double?

        @Flag(help: "Poll only: do not listen to the instances' socket.io notifications.")
        var noNotifications = false

        @OptionGroup var logging: LoggingOptions

        /// Flags over `SLUICE_RUNNER_*` over the `runner:` section of sluice.yaml over the defaults.
        private func settings() throws -> [String: String] {
            let file = URL(fileURLWithPath: config ?? "sluice.yaml")
            if config != nil && !FileManager.default.fileExists(atPath: file.path) {
                throw ValidationError("no configuration file at \(file.path)")
            }
            var values: [String: String]
            do {
                values = try RunnerSettings.load(file: file, environment: ProcessInfo.processInfo.environment)
            } catch {
                CommandFailure.printLine("sluice: \(error)")
                throw ExitCode(2)
            }
            let flags: [String: String?] = ["state": state, "concurrency": concurrency.map(String.init), "jobs": jobs, "tier": tier,
                                            "poll": poll.map { String($0) }, "http": http, "jobMemoryLimit": jobMemoryLimit,
                                            "niceness": niceness.map(String.init), "stallTimeout": stallTimeout.map { String($0) },
                                            "liveReadTimeout": liveReadTimeout.map { String($0) },
                                            "notifications": noNotifications ? "false" : nil]
            for case let (key, value?) in flags { values[key] = value }
            return values
        }

        private func configuration(_ values: [String: String]) throws -> RunnerConfiguration {
            let pipeline = try CommandFailure.guarding { try PipelineCatalog.standard().pipeline(named: values["tier"] ?? "large") }
            var configuration = RunnerConfiguration(state: URL(fileURLWithPath: values["state"] ?? "state"), pipeline: pipeline)
            configuration.concurrency = max(1, Int(values["concurrency"] ?? "1") ?? 1)
            configuration.pollInterval = max(0.2, Double(values["poll"] ?? "5") ?? 5)
            configuration.stallTimeout = max(1, Double(values["stallTimeout"] ?? "120") ?? 120)
            configuration.liveReadTimeout = min(25, max(1, Double(values["liveReadTimeout"] ?? "10") ?? 10))
            configuration.notifications = !["false", "no", "off", "0"].contains((values["notifications"] ?? "true").lowercased())
            if let jobs = values["jobs"] {
                let kinds = jobs.split(separator: ",").map { RunnerJob.Kind(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
                guard !kinds.isEmpty, kinds.allSatisfy({ $0 != nil }) else {
                    throw ValidationError("jobs takes \(RunnerJob.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                configuration.jobTypes = kinds.compactMap { $0 }
            }
            return configuration
        }

        func run() async throws {
            let values = try settings()
            let configuration = try configuration(values)
            if try RunnerRegistry(state: configuration.state).instances().isEmpty {
                CommandFailure.printLine("sluice: not registered with any instance (run `sluice runner register --state \(configuration.state.path) ...` first)")
                throw ExitCode(2)
            }
            let memory = try CommandFailure.guarding { try values["jobMemoryLimit"].map { try ByteCount.parse($0, key: "jobMemoryLimit") } }
                ?? ProcessLimits.defaultMemory(workers: configuration.concurrency)
            guard let niceness = Int32(values["niceness"] ?? "19"), (0...19).contains(niceness) else {
                throw ValidationError("niceness must be 0 to 19")
            }
            let http = values["http"] ?? "127.0.0.1:8081"
            let logger = logging.bootstrap()
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let service = RunnerService(configuration: configuration,
                                        runner: IsolatedRunner(limits: ProcessLimits(memory: memory, niceness: niceness)),
                                        logger: logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if http != "off" {
                let parts = http.split(separator: ":")
                guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--http takes host:port or off") }
                services.append(.init(service: RunnerStatusServer.make(host: String(parts[0]), port: port, statistics: service.statistics,
                                                                       registry: registry, logger: logger)))
            }
            services.append(.init(service: service))
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }
}
