import Dispatch
import Foundation

/// Turns Ctrl-C and SIGTERM into a cancellation, so a transcode can remove its work folder
/// before the process exits instead of dying mid-write.
public final class InterruptHandler {
    private var sources: [DispatchSourceSignal] = []

    public init(_ onInterrupt: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: onInterrupt)
            source.resume()
            sources.append(source)
        }
    }

    public func restore() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
