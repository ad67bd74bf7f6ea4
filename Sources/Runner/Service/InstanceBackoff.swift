import Foundation

/// Polls an instance that does not answer less and less often (doubling from the poll interval
/// up to a minute), and says when it went away and when it came back, so the log has one
/// warning and one info line per outage instead of one line per poll.
final class InstanceBackoff: @unchecked Sendable {
    private struct Outage {
        var failures: Int
        var nextTry: Date
    }

    private let lock = NSLock()
    private var outages: [String: Outage] = [:]
    let base: TimeInterval
    let maximum: TimeInterval

    init(base: TimeInterval, maximum: TimeInterval = 60) {
        self.base = base
        self.maximum = maximum
    }

    /// Whether `instance` is due a poll (always, unless it is in an outage and its next try is later).
    func mayPoll(_ instance: String, now: Date = Date()) -> Bool {
        lock.withLock { outages[instance].map { now >= $0.nextTry } ?? true }
    }

    /// Records an answer; true when this ends an outage.
    @discardableResult
    func answered(_ instance: String) -> Bool {
        lock.withLock { outages.removeValue(forKey: instance) != nil }
    }

    /// Records a failed poll; returns whether it starts an outage and how long until the next try.
    func failed(_ instance: String, now: Date = Date()) -> (startsOutage: Bool, retryIn: TimeInterval) {
        lock.withLock {
            let failures = (outages[instance]?.failures ?? 0) + 1
            let delay = min(maximum, base * pow(2, Double(failures - 1)))
            outages[instance] = Outage(failures: failures, nextTry: now.addingTimeInterval(delay))
            return (failures == 1, delay)
        }
    }
}
