import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing
@testable import Ingest
@testable import Jobs

/// `/metrics` of the watch service: the job layer's counters and the store's gauges, exported
/// by swift-prometheus.
@Suite struct MetricsEndpointTests {
    @Test func publishedAndQuarantinedJobsReachMetrics() async throws {
        var harness = try ServiceHarness([.publish, .fail(.badInput)])
        harness.configuration.http = "127.0.0.1:8080"
        let registry = PrometheusCollectorRegistry()
        let parts = try harness.assemble(metrics: JobMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        try harness.drop("first.mp4", contents: "first video bytes")
        try harness.drop("second.mp4", contents: "second bytes")
        parts.watcher.scanOnce()
        try await harness.drain(parts)

        let app = try StatusServer.make(configuration: harness.configuration, store: parts.store, monitor: parts.monitor,
                                        diskGuard: parts.diskGuard, retry: parts.retry, registry: registry,
                                        logger: Logger(label: "test"))
        let text = try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                return String(buffer: response.body)
            }
        }
        let samples = Self.samples(text)
        #expect(samples["sluice_jobs_done_total"] == 1)
        #expect(samples["sluice_jobs_failed_total"] == 1)
        let published = try #require(try parts.store.jobs().first { $0.state == .done })
        #expect(samples["sluice_bytes_in_total"] == Double(published.size))
        #expect(samples[#"sluice_jobs{state="done"}"#] == 1)
        #expect(samples[#"sluice_jobs{state="quarantined"}"#] == 1)
        #expect(samples[#"sluice_jobs{state="queued"}"#] == 0)
        #expect(samples["sluice_queue_depth"] == 0)
        #expect(samples["sluice_jobs_running"] == 0)
        #expect(samples["sluice_disk_space_short"] == 0)
        #expect(text.contains("# TYPE sluice_jobs_done_total counter"))
        #expect(text.contains("# TYPE sluice_jobs gauge"))
    }

    /// Sample name (with labels) to value, from Prometheus' text format.
    private static func samples(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }
}
