import PeerTubeClient
import CoreMetrics

/// The runner's metrics through swift-metrics (exported by swift-prometheus on `/metrics`):
/// jobs by type and outcome, seconds per job, x realtime, bytes down and up, and whether each
/// instance answered its last poll.
public struct RunnerMetrics: Sendable {
    let factory: any MetricsFactory

    /// Metrics made by `factory` (tests pass their own; the service uses the bootstrapped one).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func jobFinished(_ kind: RunnerJob.Kind, outcome: String, seconds: Double, mediaSeconds: Double) {
        let dimensions = [("type", kind.rawValue), ("outcome", outcome)]
        Counter(label: "sluice_runner_jobs_total", dimensions: dimensions, factory: factory).increment()
        guard outcome == "success", seconds > 0 else { return }
        Timer(label: "sluice_runner_job_seconds", dimensions: [("type", kind.rawValue)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
        Meter(label: "sluice_runner_realtime_ratio", dimensions: [("type", kind.rawValue)], factory: factory)
            .set(mediaSeconds / seconds)
    }

    func transferred(down: Int = 0, up: Int = 0) {
        if down > 0 { Counter(label: "sluice_runner_bytes_downloaded_total", factory: factory).increment(by: Int64(down)) }
        if up > 0 { Counter(label: "sluice_runner_bytes_uploaded_total", factory: factory).increment(by: Int64(up)) }
    }

    func reached(_ instance: String, _ answered: Bool) {
        Meter(label: "sluice_runner_instance_up", dimensions: [("instance", instance)], factory: factory).set(answered ? 1.0 : 0.0)
    }
}
