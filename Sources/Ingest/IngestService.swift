import Foundation
import Jobs
import Ladder
import Logging
import Prometheus
import ServiceLifecycle
import Transcoding

/// `sluice watch`: reconcile the state folder, then run the worker pool, the HTTP status server
/// and the inbox watcher in one `ServiceGroup`. Graceful shutdown runs in reverse order: the
/// watcher stops first, then the pool drains, then HTTP.
public enum IngestService {
    /// `runner` is where jobs run: by default the configuration's (a child process per job).
    /// `delivery` publishes each package (`watch --publish`).
    public static func run(configuration: IngestConfiguration, pipeline: Pipeline, logger: Logger,
                           runner: (any TranscodeRunner)? = nil, delivery: (any JobDelivery)? = nil) async throws {
        let runner = runner ?? configuration.runner
        let registry = PrometheusCollectorRegistry()
        let parts = try assemble(configuration: configuration, pipeline: pipeline, logger: logger, runner: runner,
                                 metrics: JobMetrics(factory: PrometheusMetricsFactory(registry: registry)), delivery: delivery)
        var services: [any Service] = []
        if configuration.httpAddress != nil {
            services.append(try StatusServer.make(configuration: configuration, store: parts.store, monitor: parts.monitor,
                                                  diskGuard: parts.diskGuard, hold: parts.hold, retry: parts.retry, registry: registry,
                                                  logger: logger))
        }
        services.append(parts.pool)
        services.append(parts.watcher)
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// Sources move only by rename(2), which cannot cross file systems; refuse to start rather
    /// than fail on every file.
    static func requireSameFileSystem(_ inbox: URL, _ work: URL) throws {
        var inboxStatus = stat()
        var workStatus = stat()
        guard stat(inbox.path, &inboxStatus) == 0, stat(work.path, &workStatus) == 0 else { return }
        if inboxStatus.st_dev != workStatus.st_dev {
            throw ConfigurationError(key: "state", problem: "must be on the same file system as the inbox (\(inbox.path)): "
                + "sources are moved by rename, never copied")
        }
    }

    struct Parts {
        var store: JobStore
        var folders: StateFolders
        var monitor: JobMonitor
        var diskGuard: DiskGuard
        var hold: QueueHold
        var pool: WorkerPoolService
        var watcher: WatchFolderService
        var retry: JobRetry
        var reconciliation: Reconciler.Report
    }

    static func assemble(configuration: IngestConfiguration, pipeline: Pipeline, logger: Logger,
                         runner: any TranscodeRunner, metrics: JobMetrics = JobMetrics(),
                         freeSpace: @escaping DiskGuard.FreeSpace = DiskGuard.available,
                         delivery: (any JobDelivery)? = nil) throws -> Parts {
        let folders = StateFolders(root: configuration.state)
        try folders.create()
        for folder in [configuration.inbox, configuration.output] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try requireSameFileSystem(configuration.inbox, folders.work)
        let store = try JobStore(path: folders.database.path)
        let policy = configuration.jobPolicy
        let reconciliation = try Reconciler(store: store, folders: folders, output: configuration.output,
                                            maxInterruptions: policy.maxInterruptions, movesSources: true, logger: logger).run()
        let monitor = JobMonitor(metrics: metrics)
        let diskGuard = DiskGuard(paths: [configuration.output, folders.root], minimumFree: policy.minFreeSpace,
                                  freeSpace: freeSpace)
        let hold = QueueHold()
        let processor = JobProcessor(store: store, folders: folders, policy: policy, pipeline: pipeline, runner: runner,
                                     logger: logger, monitor: monitor, diskGuard: diskGuard, delivery: delivery, hold: hold)
        folders.health.write(degraded: nil)
        let pool = WorkerPoolService(store: store, processor: processor, monitor: monitor, workers: configuration.workers,
                                     logger: logger, health: folders.health)
        let signal = pool.signal
        let watcher = WatchFolderService(inbox: configuration.inbox, folders: folders, store: store, settle: configuration.settle,
                                         rescan: configuration.rescan, logger: logger, onQueued: { signal.signal() })
        let retry = JobRetry(store: store, folders: folders, onQueued: { signal.signal() })
        return Parts(store: store, folders: folders, monitor: monitor, diskGuard: diskGuard, hold: hold, pool: pool, watcher: watcher, retry: retry,
                     reconciliation: reconciliation)
    }
}
