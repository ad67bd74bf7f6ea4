import Foundation

/// What one runner-socket connection knows of itself, shared by its reader and its watchdog:
/// whether the namespace was joined, and when the server was last heard from against how long
/// Engine.IO lets it be silent (its ping interval plus ping timeout).
final class SocketLink: @unchecked Sendable {
    private let lock = NSLock()
    private var joinedNamespace = false
    private var lastHeard = Date()
    /// Until the open packet says otherwise: Engine.IO's defaults, 25 s + 20 s.
    private var allowedSilence: TimeInterval = 45

    var joined: Bool {
        get { lock.withLock { joinedNamespace } }
        set { lock.withLock { joinedNamespace = newValue } }
    }

    func heard(at now: Date = Date()) {
        lock.withLock { lastHeard = now }
    }

    func allowSilence(seconds: TimeInterval) {
        lock.withLock { allowedSilence = seconds }
    }

    func isSilentTooLong(at now: Date = Date()) -> Bool {
        lock.withLock { now.timeIntervalSince(lastHeard) > allowedSilence }
    }
}
