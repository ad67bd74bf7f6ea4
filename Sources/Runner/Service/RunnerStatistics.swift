import Foundation
import Transcoding

/// What `/metrics` and `sluice runner status` report: jobs by type and outcome, seconds spent,
/// media seconds made, bytes uploaded, and whether each instance answered its last poll.
public final class RunnerStatistics: @unchecked Sendable {
    public struct Snapshot: Sendable, Codable {
        public var jobs: [String: Int] = [:]
        public var seconds = 0.0
        public var mediaSeconds = 0.0
        public var bytesUp = 0
        public var reachable: [String: Bool] = [:]
    }

    private let state = LockedValue(Snapshot())

    public var snapshot: Snapshot { state.value }

    func finished(_ kind: RunnerJob.Kind, outcome: String, seconds: Double, mediaSeconds: Double, bytesUp: Int) {
        state.update { value in
            value.jobs["\(kind.rawValue) \(outcome)", default: 0] += 1
            value.seconds += seconds
            value.mediaSeconds += mediaSeconds
            value.bytesUp += bytesUp
        }
    }

    func reached(_ instance: String, _ answered: Bool) {
        state.update { $0.reachable[instance] = answered }
    }
}
