import Foundation
import Transcoding

/// The queue's hold while its destination cannot take anything (a wrong password, a revoked
/// login, a full quota, an unreachable instance): no job is taken and none is failed for it. The
/// reason shows in `/healthz`, `sluice status` and the health file. After `retry` seconds one job
/// is let through to try again; its success releases the hold, its failure renews it.
public final class QueueHold: Sendable {
    private struct Hold: Sendable {
        var reason: String
        var until: Date
    }

    private let current = LockedValue<Hold?>(nil)

    public init() {}

    public func hold(_ reason: String, retry: TimeInterval) {
        current.value = Hold(reason: reason, until: Date().addingTimeInterval(retry))
    }

    public func release() {
        current.value = nil
    }

    /// The reason while held (also between a retry's start and its answer).
    public var reason: String? { current.value?.reason }

    /// Whether jobs wait now (false once the retry time has come).
    public var isHolding: Bool { (current.value?.until ?? .distantPast) > Date() }
}
