internal import CSupport
import Foundation

/// A job's child process with pipes on its stdin, stdout and stderr: forked by the service's
/// ``ForkServer`` (~4 ms), or started with posix_spawn when there is none (65 to 90 ms).
///
/// Either way the child is in a process group of its own, so a Ctrl-C meant for the service
/// does not reach it directly: the service decides when a job stops. Every pipe end is
/// close-on-exec, so a job started beside it never inherits another job's pipe and keeps its
/// end-of-file from coming.
final class ChildProcess {
    /// How the child is started, and so how it is reaped.
    enum Launcher {
        case spawn(executable: String, environment: [String: String])
        case forkServer(ForkServer)
    }

    let pid: pid_t
    /// Our ends: we write the child's stdin and read its stdout and stderr.
    private(set) var input: Int32
    let output: Int32
    let errors: Int32
    private let launcher: Launcher

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    init(_ launcher: Launcher) throws {
        let stdin = try Self.pipe()
        let stdout = try Self.pipe()
        let stderr = try Self.pipe()
        let theirs = [stdin.read, stdout.write, stderr.write]
        defer { for fd in theirs { close(fd) } }
        do {
            switch launcher {
            case .spawn(let executable, let environment):
                pid = try Self.spawn(executable, arguments: ["job-worker"], environment: environment, stdio: theirs)
            case .forkServer(let server):
                pid = try server.fork(stdio: theirs)
            }
        } catch {
            for fd in [stdin.write, stdout.read, stderr.read] { close(fd) }
            throw error
        }
        self.launcher = launcher
        input = stdin.write
        output = stdout.read
        errors = stderr.read
    }

    /// posix_spawn of `executable` in a process group of its own, with `stdio` as its stdin,
    /// stdout and stderr (nil: inherit ours) and the signals a service ignores set back to default.
    static func spawn(_ executable: String, arguments: [String], environment: [String: String], stdio: [Int32?]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, target) in zip(stdio, [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO]) {
            if let fd { posix_spawn_file_actions_adddup2(&actions, fd, target) }
        }
        // Nothing else of ours crosses over: a descriptor some library opened without
        // close-on-exec (a pipe of Foundation's Process, a socket) held open by a long-lived child
        // would keep its reader from ever seeing the end of file.
        cffmpeg_spawn_close_from(&actions, STDERR_FILENO + 1)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    deinit {
        for fd in [input, output, errors] where fd >= 0 { close(fd) }
    }

    /// Writes `data` to the child's stdin and closes it. A child that died before reading makes
    /// this fail quietly (EPIPE; SIGPIPE is ignored by the supervisor), and its exit says why.
    func send(_ data: Data) {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = write(input, base + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
        close(input)
        input = -1
    }

    func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// The child's resident memory now, from /proc (nil once it is gone). Read with read(2):
    /// /proc files report a size of 0, which Foundation's readers take at its word.
    var residentBytes: Int64? {
        let fd = open("/proc/\(pid)/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let fields = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Reaps the child (blocking) and returns how it ended and its peak resident memory.
    func wait() -> (ChildExit, peakBytes: Int64) {
        if case .forkServer(let server) = launcher { return server.waitForExit(of: pid) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        return (ChildExit(waitStatus: status), Int64(usage.ru_maxrss) * 1024)
    }

    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard cffmpeg_pipe_cloexec(&fds) == 0 else {
            throw SpawnError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        return (fds[0], fds[1])
    }
}
