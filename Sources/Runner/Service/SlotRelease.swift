import Transcoding

/// Gives a pass's slot back exactly once: when the pass ends, or when its task does.
final class SlotRelease: Sendable {
    private let released = LockedValue(false)
    private let onRelease: @Sendable () -> Void

    init(_ onRelease: @escaping @Sendable () -> Void) {
        self.onRelease = onRelease
    }

    func release() {
        let first = released.update { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { onRelease() }
    }
}
