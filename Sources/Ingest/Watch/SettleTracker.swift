import Foundation
import Jobs

/// Decides when a file in the inbox has finished arriving: its size and modification time have
/// not changed for the settle window. A file still being copied keeps changing and is never
/// taken on a timeout (Unmanic's bug); a file that shrinks or changes starts over.
struct SettleTracker {
    struct Observation: Equatable {
        var size: Int64
        var modified: Date
    }

    private var seen: [String: (observation: Observation, since: Date)] = [:]
    let window: TimeInterval

    init(window: TimeInterval) {
        self.window = window
    }

    /// Records what a scan saw and returns whether the file is settled at `now`.
    mutating func observe(_ path: String, _ observation: Observation, now: Date) -> Bool {
        if let previous = seen[path], previous.observation == observation {
            return now.timeIntervalSince(previous.since) >= window
        }
        seen[path] = (observation, now)
        return window <= 0
    }

    /// Forgets files no longer in the inbox (taken, or removed by the user).
    mutating func keepOnly(_ paths: Set<String>) {
        seen = seen.filter { paths.contains($0.key) }
    }

    /// The earliest moment a tracked file could settle, so the scanner can wake then.
    func nextDeadline() -> Date? {
        seen.values.map { $0.since.addingTimeInterval(window) }.min()
    }
}
