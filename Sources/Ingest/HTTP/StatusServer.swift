import Foundation
import Hummingbird
import Jobs
import Logging
import Prometheus

/// `GET /healthz` (`ok`, or `degraded: REASON` while jobs wait for disk space or the publishing instance), `GET /metrics`, `GET /api/jobs`, `GET /api/jobs/{id}`, `POST /api/jobs/{id}/retry`.
/// Bound to loopback unless configured otherwise; write calls need the bearer token whenever
/// one is configured, and one must be configured to listen beyond loopback.
enum StatusServer {
    /// `registry` holds the job layer's counters; the gauges are set in it at each scrape.
    static func make(configuration: IngestConfiguration, store: JobStore, monitor: JobMonitor, diskGuard: DiskGuard,
                     hold: QueueHold = QueueHold(), retry: JobRetry, registry: PrometheusCollectorRegistry, logger: Logger) throws -> some ApplicationProtocol {
        guard let address = configuration.httpAddress else {
            throw ConfigurationError(key: "http", problem: "'\(configuration.http ?? "")' is not host:port")
        }
        if !configuration.isLoopbackOnly && configuration.token == nil {
            throw ConfigurationError(key: "token", problem: "is required when http listens beyond loopback (\(address.host))")
        }
        let router = Router()
        // Degraded is still 200: the service is up and keeps its queue; restarting it would not free a disk.
        router.get("healthz") { _, _ in (diskGuard.shortageReason ?? hold.reason).map { "degraded: \($0)\n" } ?? "ok\n" }
        let gauges = ServiceGauges(factory: PrometheusMetricsFactory(registry: registry))
        router.get("metrics") { _, _ -> Response in
            gauges.refresh(counts: try store.counts(), running: monitor.runningCount, speed: monitor.currentSpeed,
                           diskShort: diskGuard.shortageReason != nil)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("api/jobs") { _, _ -> Response in
            try json(JobListing(jobs: try store.jobs().map(JobView.init),
                                waiting: InboxWaiting.read(state: configuration.state)?.files ?? []))
        }
        router.get("api/jobs/:id") { _, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let job = try store.job(id) else { throw HTTPError(.notFound, message: "no job \(id)") }
            return try json(JobView(job))
        }
        router.post("api/jobs/:id/retry") { request, context -> Response in
            if let token = configuration.token {
                guard request.headers[.authorization] == "Bearer \(token)" else {
                    throw HTTPError(.unauthorized, message: "a bearer token is required")
                }
            }
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                return try json(JobView(try retry.retry(id)))
            } catch let error as JobRetry.Refusal {
                throw HTTPError(.conflict, message: error.description)
            }
        }
        return Application(router: router,
                           configuration: .init(address: .hostname(address.host, port: address.port), serverName: "sluice"),
                           logger: logger)
    }

    private static func json<T: Encodable>(_ value: T) throws -> Response {
        let data = try JobView.encoder().encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
