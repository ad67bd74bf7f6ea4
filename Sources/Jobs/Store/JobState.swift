/// Where a job is in its life. `queued` with a future `nextAttemptAt` is a job waiting for a retry.
///
/// ```
/// queued -> running -> done
///              |   \-> duplicate           (same content already published)
///              |   \-> quarantined         (bad input, or retries used up)
///              \-> queued                  (retryable failure with backoff, stall, shutdown)
/// ```
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, done, duplicate, quarantined

    /// Terminal states: the source has left `work/` for `done/` or `quarantine/`.
    public var isTerminal: Bool {
        self == .done || self == .duplicate || self == .quarantined
    }

    /// Whether the state machine allows moving from `self` to `next`.
    public func canMove(to next: JobState) -> Bool {
        switch (self, next) {
        case (.queued, .running), (.queued, .duplicate), (.queued, .quarantined): true
        case (.running, .done), (.running, .duplicate), (.running, .quarantined), (.running, .queued): true
        case (.quarantined, .queued): true  // a retry asked for through the API
        default: false
        }
    }
}
