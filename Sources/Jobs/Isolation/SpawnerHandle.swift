import Foundation

/// The fork server a runner shares between its jobs: started at the first job, started again
/// after it died. When it cannot start, jobs fall back to posix_spawn (slower, as safe).
final class SpawnerHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var server: ForkServer?

    /// The runner that shared it is gone: so is its spawner.
    deinit {
        server?.stop()
    }

    /// How to start the next job's child.
    func launcher(executable: String, environment: [String: String]) -> ChildProcess.Launcher {
        lock.withLock {
            if server?.isAlive != true {
                server = try? ForkServer(executable: executable, environment: environment)
            }
            if let server { return .forkServer(server) }
            return .spawn(executable: executable, environment: environment)
        }
    }
}
