import Foundation
import Ladder
import Logging
import ServiceLifecycle
import Transcoding

/// `sluice watch`: reconcile the state folder, then run the worker pool, the HTTP status server
/// and the inbox watcher in one `ServiceGroup`. Graceful shutdown runs in reverse order: the
/// watcher stops first, then the pool drains, then HTTP.
public enum IngestService {
    public static func run(configuration: IngestConfiguration, pipeline: Pipeline, logger: Logger,
                           runner: any TranscodeRunner = EngineRunner()) async throws {
        let parts = try assemble(configuration: configuration, pipeline: pipeline, logger: logger, runner: runner)
        var services: [any Service] = []
        if configuration.httpAddress != nil {
            services.append(try StatusServer.make(configuration: configuration, store: parts.store, monitor: parts.monitor,
                                                  retry: parts.retry, logger: logger))
        }
        services.append(parts.pool)
        services.append(parts.watcher)
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    struct Parts {
        var store: JobStore
        var folders: StateFolders
        var monitor: JobMonitor
        var pool: WorkerPoolService
        var watcher: WatchFolderService
        var retry: JobRetry
        var reconciliation: Reconciler.Report
    }

    static func assemble(configuration: IngestConfiguration, pipeline: Pipeline, logger: Logger,
                         runner: any TranscodeRunner) throws -> Parts {
        let folders = StateFolders(root: configuration.state)
        try folders.create()
        for folder in [configuration.inbox, configuration.output] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let store = try JobStore(path: folders.database.path)
        let reconciliation = try Reconciler(store: store, folders: folders, output: configuration.output, logger: logger).run()
        let monitor = JobMonitor()
        let processor = JobProcessor(store: store, folders: folders, configuration: configuration, pipeline: pipeline,
                                     runner: runner, logger: logger, monitor: monitor)
        let pool = WorkerPoolService(store: store, processor: processor, monitor: monitor, workers: configuration.workers,
                                     stallTimeout: configuration.stallTimeout, shutdownTimeout: configuration.shutdownTimeout,
                                     logger: logger)
        let signal = pool.signal
        let watcher = WatchFolderService(inbox: configuration.inbox, folders: folders, store: store, settle: configuration.settle,
                                         rescan: configuration.rescan, logger: logger, onQueued: { signal.signal() })
        let retry = JobRetry(store: store, folders: folders, onQueued: { signal.signal() })
        return Parts(store: store, folders: folders, monitor: monitor, pool: pool, watcher: watcher, retry: retry,
                     reconciliation: reconciliation)
    }
}
