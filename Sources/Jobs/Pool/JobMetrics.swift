import CoreMetrics

/// What the job layer counts as jobs end, through swift-metrics: jobs published and
/// quarantined, source bytes in, package bytes out and media seconds transcoded. The factory is
/// passed in rather than bootstrapped globally, so a service (or a test) owns its registry.
public struct JobMetrics: Sendable {
    private let done: Counter
    private let failed: Counter
    private let bytesIn: Counter
    private let bytesOut: Counter
    private let mediaSeconds: FloatingPointCounter

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        done = Counter(label: "sluice_jobs_done_total", factory: factory)
        failed = Counter(label: "sluice_jobs_failed_total", factory: factory)
        bytesIn = Counter(label: "sluice_bytes_in_total", factory: factory)
        bytesOut = Counter(label: "sluice_bytes_out_total", factory: factory)
        mediaSeconds = FloatingPointCounter(label: "sluice_media_seconds_total", factory: factory)
    }

    func published(mediaSeconds seconds: Double, bytesIn inBytes: Int64, bytesOut outBytes: Int64) {
        done.increment()
        mediaSeconds.increment(by: seconds)
        bytesIn.increment(by: inBytes)
        bytesOut.increment(by: outBytes)
    }

    func quarantined() {
        failed.increment()
    }
}
