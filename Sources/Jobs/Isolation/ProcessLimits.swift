import Foundation

/// What one job's child process may use: enforced by the supervisor (memory, watched from
/// outside) and by the child on itself (priority, and an address-space ceiling that makes a
/// runaway allocation fail at once instead of pulling the host into swap).
public struct ProcessLimits: Sendable, Equatable, Codable {
    /// Resident memory a job may reach before it is killed (bytes; 0 for no limit).
    public var memory: Int64
    /// Scheduling priority of the child, as nice(1): 0 to 19. PeerTube's runner runs ffmpeg at
    /// the lowest priority so the web server beside it stays responsive; Sluice does the same.
    public var niceness: Int32

    public init(memory: Int64, niceness: Int32 = 19) {
        self.memory = memory
        self.niceness = niceness
    }

    /// The default memory limit: three quarters of the machine's memory shared by the workers,
    /// and never under 1 GiB.
    public static func defaultMemory(workers: Int) -> Int64 {
        let physical = Int64(ProcessInfo.processInfo.physicalMemory)
        return max(1 << 30, physical / 4 * 3 / Int64(max(1, workers)))
    }

    /// The address-space ceiling the child sets on itself: far above the resident limit (x264's
    /// threads and malloc's arenas reserve much more than they touch), so only an absurd
    /// allocation meets it. Nil when memory is unlimited.
    var addressSpaceCeiling: Int64? {
        memory > 0 ? memory * 2 + (2 << 30) : nil
    }
}
