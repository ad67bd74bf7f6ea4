import Jobs

/// The `/metrics` document in Prometheus' text exposition format (version 0.0.4).
struct PrometheusText {
    private var lines: [String] = []

    mutating func metric(_ name: String, type: String, help: String, samples: [(labels: String, value: Double)]) {
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(type)")
        for sample in samples {
            lines.append("\(name)\(sample.labels.isEmpty ? "" : "{\(sample.labels)}") \(Self.format(sample.value))")
        }
    }

    mutating func metric(_ name: String, type: String, help: String, value: Double) {
        metric(name, type: type, help: help, samples: [("", value)])
    }

    var text: String { lines.joined(separator: "\n") + "\n" }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// The service's metrics from the job store's counts and the live monitor.
    static func render(counts: [JobState: Int], running: Int, speed: Double, counters: JobMonitor.Counters,
                       diskShort: Bool) -> String {
        var text = PrometheusText()
        text.metric("sluice_jobs", type: "gauge", help: "Jobs in the store by state.",
                    samples: JobState.allCases.map { ("state=\"\($0.rawValue)\"", Double(counts[$0] ?? 0)) })
        text.metric("sluice_queue_depth", type: "gauge", help: "Jobs waiting to run (including retries in backoff).",
                    value: Double(counts[.queued] ?? 0))
        text.metric("sluice_jobs_running", type: "gauge", help: "Jobs being transcoded now.", value: Double(running))
        text.metric("sluice_jobs_done_total", type: "counter", help: "Jobs published (done) since the store was created.",
                    value: Double(counts[.done] ?? 0))
        text.metric("sluice_jobs_failed_total", type: "counter", help: "Jobs quarantined since the store was created.",
                    value: Double(counts[.quarantined] ?? 0))
        text.metric("sluice_transcode_speed_ratio", type: "gauge", help: "Media seconds encoded per wall second, summed over running jobs (x realtime).",
                    value: speed)
        text.metric("sluice_bytes_in_total", type: "counter", help: "Source bytes transcoded by this process.", value: Double(counters.bytesIn))
        text.metric("sluice_bytes_out_total", type: "counter", help: "Package bytes published by this process.", value: Double(counters.bytesOut))
        text.metric("sluice_media_seconds_total", type: "counter", help: "Seconds of media transcoded by this process.", value: counters.mediaSeconds)
        text.metric("sluice_disk_space_short", type: "gauge",
                    help: "1 while jobs wait because the output or state disk is short of space, else 0.",
                    value: diskShort ? 1 : 0)
        return text.text
    }
}
