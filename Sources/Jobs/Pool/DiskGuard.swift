import Foundation

/// Keeps jobs from filling the disks they write to (the output and the state file systems).
///
/// A job is taken only when every one of them has `minimumFree` plus the space running jobs
/// have reserved plus what a job turned away for space is waiting for. A running job reserves
/// its plan's size estimate as soon as its child has probed the source; when that does not fit
/// the job goes back to the queue, uncharged, and the queue waits until the space is there.
/// Nothing is failed or quarantined for a full disk.
public final class DiskGuard: @unchecked Sendable {
    /// Free bytes on the file system holding a path (nil when it cannot be read).
    public typealias FreeSpace = @Sendable (URL) -> Int64?

    private let paths: [URL]
    private let minimumFree: Int64
    private let freeSpace: FreeSpace
    private let lock = NSLock()
    private var reservations: [Int64: Int64] = [:]
    private var awaited: Int64 = 0
    private var shortage: String?

    public init(paths: [URL], minimumFree: Int64, freeSpace: @escaping FreeSpace = DiskGuard.available) {
        self.paths = paths
        self.minimumFree = minimumFree
        self.freeSpace = freeSpace
    }

    /// Why jobs are not being taken, or nil when there is room.
    public var shortageReason: String? { lock.withLock { shortage } }

    /// Whether a new job may start now. Clears the shortage once the space is back.
    public func hasRoomForAnotherJob() -> Bool {
        lock.withLock {
            shortage = lacking(reservations.values.reduce(0, +) + awaited, for: "the waiting jobs")
            if shortage == nil { awaited = 0 }
            return shortage == nil
        }
    }

    /// Returns once a job may start (true), checking every `interval` while the disk is short;
    /// false when the task is cancelled meanwhile.
    public func waitForRoom(checkingEvery interval: Duration = .seconds(2)) async -> Bool {
        while !hasRoomForAnotherJob() {
            do { try await Task.sleep(for: interval) } catch { return false }
        }
        return true
    }

    /// A running job's estimate: reserves it and returns true when it fits beside the others;
    /// otherwise remembers it as what the queue waits for.
    public func admit(job id: Int64, bytes: Int64) -> Bool {
        lock.withLock {
            let others = reservations.filter { $0.key != id }.values.reduce(0, +)
            if let reason = lacking(others + bytes, for: others > 0 ? "job \(id) and the running jobs" : "job \(id)") {
                awaited = max(awaited, bytes)
                shortage = reason
                return false
            }
            reservations[id] = bytes
            return true
        }
    }

    /// A job ended (its output is on disk or gone): its reservation is no longer needed.
    public func release(job id: Int64) {
        lock.withLock { _ = reservations.removeValue(forKey: id) }
    }

    /// A write failed with ENOSPC. When the free space confirms it (less than `bytes` plus the
    /// margin), the queue waits for that much and this returns true; otherwise the failure is not
    /// the disk's state (a quota, a file system that lies) and the job should count it.
    public func noteDiskFull(needing bytes: Int64) -> Bool {
        lock.withLock {
            guard let reason = lacking(bytes, for: "the job that found the disk full") else { return false }
            awaited = max(awaited, bytes)
            shortage = reason
            return true
        }
    }

    /// Nil when every file system has `bytes` plus the margin free; otherwise the reason.
    private func lacking(_ bytes: Int64, for whom: String) -> String? {
        for path in paths {
            guard let free = freeSpace(path) else { continue }
            let needed = bytes + minimumFree
            if free < needed {
                return "low disk space on \(path.path): \(Self.megabytes(free)) free, \(Self.megabytes(needed)) needed "
                    + "(\(Self.megabytes(bytes)) for \(whom) + \(Self.megabytes(minimumFree)) margin)"
            }
        }
        return nil
    }

    static func megabytes(_ bytes: Int64) -> String {
        "\(bytes / 1_000_000) MB"
    }

    /// Free bytes for unprivileged writers (statvfs `f_bavail`) on the file system of `url`.
    public static let available: FreeSpace = { url in
        var stats = statvfs()
        var path = url
        // The folder may not exist yet: ask its nearest existing parent.
        while statvfs(path.path, &stats) != 0 {
            guard path.path != "/" else { return nil }
            path = path.deletingLastPathComponent()
        }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
