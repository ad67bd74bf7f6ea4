import Foundation
internal import CSupport
import Transcoding

/// The service's side of ``JobSpawner``: starts `sluice job-spawner` on a thread of its own
/// (which then reads the spawner's answers and lives as long as it, as the parent-death signal
/// requires), asks it for one forked child per job, and hands each job its child's exit.
///
/// If the spawner dies, every child it had dies with it (parent-death signal): their waits end
/// as killed, and ``isAlive`` turns false so the runner starts a new spawner for the next job.
final class ForkServer: @unchecked Sendable {
    private let condition = NSCondition()
    /// One fork at a time: the spawner answers in order.
    private let forkLock = NSLock()
    private let control: Int32
    private var replies: [String] = []
    private var exits: [pid_t: (ChildExit, peakBytes: Int64)] = [:]
    private var alive = true

    init(executable: String, environment: [String: String]) throws {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw ChildProcess.SpawnError(description: "cannot create the spawner's socket: \(String(cString: strerror(errno)))")
        }
        control = fds[0]
        let theirs = fds[1]
        let started = DispatchSemaphore(value: 0)
        let outcome = LockedValue<Result<pid_t, ChildProcess.SpawnError>?>(nil)
        let thread = Thread { [self] in
            do {
                let pid = try ChildProcess.spawn(executable, arguments: ["job-spawner"], environment: environment,
                                                 stdio: [theirs, nil, nil])
                close(theirs)
                outcome.value = .success(pid)
                started.signal()
                listen()
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            } catch {
                close(theirs)
                outcome.value = .failure(ChildProcess.SpawnError(description: "\(error)"))
                started.signal()
            }
        }
        thread.name = "sluice-spawner"
        thread.start()
        started.wait()
        if case .failure(let error) = outcome.value {
            close(control)
            throw error
        }
    }

    deinit {
        close(control)
    }

    /// Tells the spawner to go: it sees the end of its socket and exits, its listening thread
    /// ends and lets this object go. (The thread holds it until then, so it cannot end by
    /// being released.)
    func stop() {
        _ = shutdown(control, Int32(SHUT_RDWR))
    }

    var isAlive: Bool { condition.withLock { alive } }

    /// Forks a child whose stdin, stdout and stderr are `stdio`; returns its pid.
    func fork(stdio: [Int32]) throws -> pid_t {
        try forkLock.withLock {
            guard isAlive, cffmpeg_send_fds(control, stdio, 3) == 0 else {
                throw ChildProcess.SpawnError(description: "the job spawner is gone")
            }
            condition.lock()
            defer { condition.unlock() }
            while replies.isEmpty && alive { condition.wait() }
            guard !replies.isEmpty else { throw ChildProcess.SpawnError(description: "the job spawner is gone") }
            let reply = replies.removeFirst().split(separator: " ")
            guard reply.count == 2, reply[0] == "started", let pid = pid_t(reply[1]) else {
                let code = reply.count == 2 ? Int32(reply[1]) ?? 0 : 0
                throw ChildProcess.SpawnError(description: "the job spawner cannot fork: \(String(cString: strerror(code)))")
            }
            return pid
        }
    }

    /// Blocks until the spawner reports `pid`'s end; a child of a dead spawner died with it.
    func waitForExit(of pid: pid_t) -> (ChildExit, peakBytes: Int64) {
        condition.lock()
        defer { condition.unlock() }
        while exits[pid] == nil && alive { condition.wait() }
        return exits.removeValue(forKey: pid) ?? (.signaled(SIGKILL), 0)
    }

    /// Reads the spawner's answers until it goes away.
    private func listen() {
        var lines = LineBuffer()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(control, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let received = lines.append(Data(buffer[0..<count]))
            condition.withLock {
                for line in received { record(line) }
                condition.broadcast()
            }
        }
        condition.withLock {
            alive = false
            condition.broadcast()
        }
    }

    /// `exited PID STATUS MAXRSS_KB` is kept for its waiter; anything else answers a fork.
    private func record(_ line: String) {
        let fields = line.split(separator: " ")
        if fields.count == 4, fields[0] == "exited", let pid = pid_t(fields[1]), let status = Int32(fields[2]),
           let kilobytes = Int64(fields[3]) {
            exits[pid] = (ChildExit(waitStatus: status), kilobytes * 1024)
        } else {
            replies.append(line)
        }
    }
}
