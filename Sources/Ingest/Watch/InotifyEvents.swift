import Foundation
import Jobs

/// Wakes the inbox scanner when something is created, written or moved in the inbox (Linux
/// inotify). Where inotify is unavailable, ``wait(timeout:)`` just waits, and the periodic
/// rescan finds files anyway.
final class InotifyEvents: @unchecked Sendable {
    private let signal = WorkSignal()
    private var source: DispatchSourceRead?
    private let descriptor: Int32

    init(path: String) {
        #if os(Linux)
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB | IN_MODIFY)
        guard inotify_add_watch(descriptor, path, mask) >= 0 else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: .global())
        let descriptor = self.descriptor
        let signal = self.signal
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(descriptor, &buffer, buffer.count) > 0 {}
            signal.signal()
        }
        source.resume()
        self.source = source
        #else
        descriptor = -1
        #endif
    }

    var isActive: Bool { source != nil }

    func wait(timeout: TimeInterval) async {
        await signal.wait(timeout: .milliseconds(Int(timeout * 1000)))
    }

    func stop() {
        source?.cancel()
        source = nil
        signal.signal()
    }

    deinit {
        source?.cancel()
        if descriptor >= 0 { close(descriptor) }
    }
}
