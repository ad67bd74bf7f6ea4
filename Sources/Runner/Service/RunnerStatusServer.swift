import Hummingbird
import Logging
import Prometheus

/// `GET /healthz` (`ok`, or 503 `degraded: cannot reach ...` when no instance answered its last
/// poll) and `GET /metrics` (Prometheus text from swift-prometheus's registry).
public enum RunnerStatusServer {
    public static func make(host: String, port: Int, statistics: RunnerStatistics, registry: PrometheusCollectorRegistry,
                            logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ -> Response in
            guard let problem = statistics.healthProblem else { return text(.ok, "ok\n") }
            return text(.serviceUnavailable, "degraded: \(problem)\n")
        }
        router.get("metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "sluice-runner"),
                           logger: logger)
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
