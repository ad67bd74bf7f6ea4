import Foundation

/// Wakes idle workers as soon as a job is queued, so a job starts within milliseconds of being
/// taken rather than at the next poll. A signal with nobody waiting is kept for the next wait.
package final class WorkSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private var expired: Set<UUID> = []
    private var pending = false

    package init() {}

    package func signal() {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            if waiters.isEmpty { pending = true }
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns at the next signal (or at once if one came while nobody waited), or after `timeout`.
    package func wait(timeout: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow: Bool = self.lock.withLock {
                        if self.pending || self.expired.remove(id) != nil {
                            self.pending = false
                            return true
                        }
                        self.waiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            // Release our own waiter if the timeout won; mark it expired if it has not registered yet.
            let own: CheckedContinuation<Void, Never>? = lock.withLock {
                if let continuation = waiters.removeValue(forKey: id) { return continuation }
                expired.insert(id)
                return nil
            }
            own?.resume()
            await group.waitForAll()
            lock.withLock { _ = expired.remove(id) }
        }
    }
}
