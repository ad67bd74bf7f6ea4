import Synchronization

/// Set once to stop a transcode (Ctrl-C, a service shutdown, a stall watchdog, or the first
/// failing stage); every stage checks it between frames.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() {
        flag.store(true, ordering: .releasing)
    }

    public var isCancelled: Bool {
        flag.load(ordering: .acquiring)
    }
}
