import Foundation

/// `sluice runner status --json`: the instances (never their tokens), the held job uuids and the statistics.
public struct RunnerStatusReport: Encodable {
    public var instances: [String]
    public var held: [String]
    public var statistics: RunnerStatistics.Snapshot?

    public init(instances: [String], held: [String], statistics: RunnerStatistics.Snapshot?) {
        self.instances = instances
        self.held = held
        self.statistics = statistics
    }

    /// The uuids of the jobs the runner's journal holds.
    public static func heldJobs(state: URL) -> [String] {
        HeldJournal(state: state).all().map(\.uuid)
    }
}
