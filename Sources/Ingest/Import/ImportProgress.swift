import Foundation
import Jobs

/// Where an import is: files and bytes done of the total, speed and ETA.
public struct ImportProgress: Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64
    /// Source bytes per second so far.
    public var bytesPerSecond: Double
    public var eta: Double?
    public var running: [String]
}

/// Computes ``ImportProgress`` from the job store.
final class ImportProgressTracker: Sendable {
    private let ids: Set<Int64>
    private let bytesTotal: Int64
    private let started: Date
    private let doneAtStart: Int64

    init(total jobs: [Job], started: Date) {
        ids = Set(jobs.compactMap(\.id))
        bytesTotal = jobs.reduce(0) { $0 + $1.size }
        self.started = started
        doneAtStart = jobs.filter(\.state.isTerminal).reduce(0) { $0 + $1.size }
    }

    func snapshot(store: JobStore) -> ImportProgress {
        let jobs = ((try? store.jobs()) ?? []).filter { ids.contains($0.id ?? -1) }
        let finished = jobs.filter(\.state.isTerminal)
        let running = jobs.filter { $0.state == .running }
        let bytesDone = finished.reduce(Int64(0)) { $0 + $1.size }
            + running.reduce(Int64(0)) { $0 + Int64(Double($1.size) * $1.progress) }
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(bytesDone - doneAtStart) / elapsed : 0
        let eta = rate > 0 ? Double(bytesTotal - bytesDone) / rate : nil
        return ImportProgress(filesDone: finished.count, filesTotal: jobs.count, bytesDone: bytesDone, bytesTotal: bytesTotal,
                              bytesPerSecond: rate, eta: eta, running: running.map { URL(fileURLWithPath: $0.file).lastPathComponent })
    }
}
