import Foundation
import PeerTubeClient
import Transcoding

/// What `/healthz`, `/metrics` and `sluice runner status` report: jobs by type and outcome,
/// seconds spent, media seconds made, bytes moved, and whether each instance answered its last
/// poll. Kept in `STATE/runner/status.json` too, for `sluice runner status`.
public final class RunnerStatistics: @unchecked Sendable {
    public struct Snapshot: Sendable, Codable {
        public var jobs: [String: Int] = [:]
        public var seconds = 0.0
        public var mediaSeconds = 0.0
        public var bytesDown = 0
        public var bytesUp = 0
        public var reachable: [String: Bool] = [:]
        /// Whether each instance's socket.io notifications are connected.
        public var sockets: [String: Bool] = [:]
        public var updatedAt = Date()
    }

    private let state = LockedValue(Snapshot())
    private let metrics: RunnerMetrics
    private let file: URL?

    public init(metrics: RunnerMetrics = RunnerMetrics(), file: URL? = nil) {
        self.metrics = metrics
        self.file = file
    }

    public var snapshot: Snapshot { state.value }

    /// Degraded when no registered instance answered its last poll.
    public var healthProblem: String? {
        let reachable = snapshot.reachable
        guard !reachable.isEmpty, !reachable.values.contains(true) else { return nil }
        return "cannot reach " + reachable.keys.sorted().joined(separator: ", ")
    }

    func finished(_ kind: RunnerJob.Kind, outcome: String, seconds: Double, mediaSeconds: Double, bytesUp: Int) {
        state.update { value in
            value.jobs["\(kind.rawValue) \(outcome)", default: 0] += 1
            value.seconds += seconds
            value.mediaSeconds += mediaSeconds
            value.bytesUp += bytesUp
        }
        metrics.jobFinished(kind, outcome: outcome, seconds: seconds, mediaSeconds: mediaSeconds)
        metrics.transferred(up: bytesUp)
        save()
    }

    func socket(_ instance: String, _ connected: Bool) {
        state.update { $0.sockets[instance] = connected }
        save()
    }

    func downloaded(bytes: Int) {
        state.update { $0.bytesDown += bytes }
        metrics.transferred(down: bytes)
    }

    func reached(_ instance: String, _ answered: Bool) {
        let changed = state.update { value -> Bool in
            defer { value.reachable[instance] = answered }
            return value.reachable[instance] != answered
        }
        metrics.reached(instance, answered)
        if changed { save() }
    }

    /// The file `sluice runner status` reads.
    public static func read(state: URL) -> Snapshot? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? Data(contentsOf: statusFile(state: state))).flatMap { try? decoder.decode(Snapshot.self, from: $0) }
    }

    public static func statusFile(state: URL) -> URL {
        state.appendingPathComponent("runner", isDirectory: true).appendingPathComponent("status.json")
    }

    private func save() {
        guard let file else { return }
        var value = snapshot
        value.updatedAt = Date()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? encoder.encode(value).write(to: file, options: .atomic)
    }
}
