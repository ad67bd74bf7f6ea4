import Foundation
import Prometheus
import Testing
@testable import Runner
@testable import PeerTubeClient

@Suite struct RunnerStatisticsTests {
    @Test func jobsTimesBytesAndReachabilityReachPrometheus() throws {
        let registry = PrometheusCollectorRegistry()
        let folder = try RunnerMedia.stateFolder()
        let statistics = RunnerStatistics(metrics: RunnerMetrics(factory: PrometheusMetricsFactory(registry: registry)),
                                          file: RunnerStatistics.statusFile(state: folder))
        statistics.finished(.hls, outcome: "success", seconds: 10, mediaSeconds: 30, bytesUp: 1000)
        statistics.finished(.hls, outcome: "success", seconds: 5, mediaSeconds: 15, bytesUp: 500)
        statistics.finished(.webVideo, outcome: "error", seconds: 0, mediaSeconds: 0, bytesUp: 0)
        statistics.downloaded(bytes: 4096)
        statistics.reached("https://tube.example.org", true)
        let text = registry.emitToString()
        #expect(text.contains(#"sluice_runner_jobs_total{type="vod-hls-transcoding",outcome="success"} 2"#))
        #expect(text.contains(#"sluice_runner_jobs_total{type="vod-web-video-transcoding",outcome="error"} 1"#))
        #expect(text.contains("sluice_runner_bytes_uploaded_total 1500"))
        #expect(text.contains("sluice_runner_bytes_downloaded_total 4096"))
        #expect(text.contains(#"sluice_runner_instance_up{instance="https://tube.example.org"} 1"#))
        #expect(text.contains("sluice_runner_job_seconds_count{type=\"vod-hls-transcoding\"} 2"))
        #expect(statistics.healthProblem == nil)
        // What `sluice runner status` reads.
        let saved = try #require(RunnerStatistics.read(state: folder))
        #expect(saved.jobs["vod-hls-transcoding success"] == 2 && saved.bytesUp == 1500)
    }

    @Test func healthIsDegradedOnlyWhenNoInstanceAnswers() {
        let statistics = RunnerStatistics(metrics: RunnerMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())))
        #expect(statistics.healthProblem == nil)
        statistics.reached("https://a.example", false)
        statistics.reached("https://b.example", true)
        #expect(statistics.healthProblem == nil)
        statistics.reached("https://b.example", false)
        #expect(statistics.healthProblem == "cannot reach https://a.example, https://b.example")
    }
}
