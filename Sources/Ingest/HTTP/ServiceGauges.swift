import CoreMetrics
import Jobs

/// The watch service's gauges, set from the job store and the live monitor when `/metrics` is
/// scraped: they describe the present, which only the store knows, so they are read at
/// the moment they are asked for rather than kept up to date on every change.
struct ServiceGauges {
    let factory: any MetricsFactory

    func refresh(counts: [JobState: Int], running: Int, speed: Double, diskShort: Bool) {
        for state in JobState.allCases {
            Gauge(label: "sluice_jobs", dimensions: [("state", state.rawValue)], factory: factory)
                .record(counts[state] ?? 0)
        }
        Gauge(label: "sluice_queue_depth", factory: factory).record(counts[.queued] ?? 0)
        Gauge(label: "sluice_jobs_running", factory: factory).record(running)
        Gauge(label: "sluice_transcode_speed_ratio", factory: factory).record(speed)
        Gauge(label: "sluice_disk_space_short", factory: factory).record(diskShort ? 1 : 0)
    }
}
