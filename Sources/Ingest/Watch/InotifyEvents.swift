import Foundation
import Jobs

/// Wakes the inbox scanner when something is created, written or moved in the inbox or a folder
/// below it (Linux inotify), and remembers which files a local writer has just closed
/// (`IN_CLOSE_WRITE`) or renamed in (`IN_MOVED_TO`): those are finished and need not wait out the
/// settle window. Where inotify is unavailable, ``wait(timeout:)`` just waits, and the periodic
/// rescan finds files anyway.
final class InotifyEvents: @unchecked Sendable {
    private let signal = WorkSignal()
    private var source: DispatchSourceRead?
    private let descriptor: Int32
    private let lock = NSLock()
    /// Watched folder by watch descriptor.
    private var folders: [Int32: String] = [:]
    /// Files closed after writing, or renamed into a watched folder, since the last `takeFinished()`.
    private var finished: Set<String> = []

    init(path: String) {
        #if os(Linux)
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: .global())
        source.setEventHandler { [weak self] in self?.readEvents() }
        source.resume()
        self.source = source
        watch(path)
        #else
        descriptor = -1
        #endif
    }

    var isActive: Bool { source != nil }

    /// Watches one more folder (a folder dropped into the inbox); watching one twice is harmless.
    func watch(_ path: String) {
        #if os(Linux)
        guard descriptor >= 0, lock.withLock({ !folders.values.contains(path) }) else { return }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF)
        let wd = inotify_add_watch(descriptor, path, mask)
        guard wd >= 0 else { return }
        lock.withLock { folders[wd] = path }
        #endif
    }

    /// The paths closed after writing or renamed in since the last call.
    func takeFinished() -> Set<String> {
        lock.withLock {
            defer { finished.removeAll() }
            return finished
        }
    }

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

    #if os(Linux)
    /// Reads every pending event: records finished files and forgets folders that went away.
    private func readEvents() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { bytes in
                    (bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                let nameBytes = buffer[nameStart..<min(nameStart + length, count)].prefix { $0 != 0 }
                record(wd: wd, mask: mask, name: String(decoding: nameBytes, as: UTF8.self))
                offset = nameStart + length
            }
        }
        signal.signal()
    }

    private func record(wd: Int32, mask: UInt32, name: String) {
        lock.withLock {
            guard let folder = folders[wd] else { return }
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                folders[wd] = nil
                return
            }
            let isFolder = mask & UInt32(IN_ISDIR) != 0
            if !isFolder, !name.isEmpty, mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
                finished.insert(folder + "/" + name)
            }
        }
    }
    #endif
}
