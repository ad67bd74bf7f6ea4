import Foundation
internal import CSupport

/// The fork server a service keeps for its jobs: `sluice job-spawner`, started once, forks one
/// fresh process per job, so a job's process is ready in ~4 ms instead of the 65 to 90 ms it
/// takes to load FFmpeg's ~180 shared libraries again (relocating them is most of it).
///
/// It runs on its single thread and never touches FFmpeg, Dispatch or Swift concurrency, so each
/// fork is a clean copy. Protocol on its stdin, a Unix socket (see docs/worker-protocol.md): the
/// service sends a job's three pipe ends (SCM_RIGHTS); the spawner forks a child that takes them
/// as stdin, stdout and stderr and runs ``JobWorker``, and answers `started PID`; when a child
/// ends it sends `exited PID STATUS MAXRSS_KB`. The spawner dies with the service and its
/// children die with it (both by parent-death signal).
public enum JobSpawner {
    /// Serves until the service closes the socket; returns the exit status.
    public static func serve() -> Int32 {
        let parent = ProcessInfo.processInfo.environment[JobWorker.parentVariable].flatMap(Int32.init)
        guard JobWorker.dieWithParent(expected: parent) else { return 70 }
        let control: Int32 = 0
        let spawner = getpid()
        // A pidfd per child turns readable when it exits, so its end is reported at once; without
        // pidfds (an old kernel) children are reaped at the next wake-up, at most 200 ms later.
        var exits: [Int32: pid_t] = [:]
        while true {
            var polls = [pollfd(fd: control, events: Int16(POLLIN), revents: 0)]
                + exits.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&polls, nfds_t(polls.count), 200) > 0, polls[0].revents != 0 {
                guard let pid = forkJob(control: control, spawner: spawner) else { return 0 }
                if pid > 0, case let fd = cffmpeg_pidfd_open(pid), fd >= 0 { exits[fd] = pid }
            }
            reapChildren(reportingOn: control)
            for (fd, pid) in exits where kill(pid, 0) != 0 || polls.contains(where: { $0.fd == fd && $0.revents != 0 }) {
                close(fd)
                exits.removeValue(forKey: fd)
            }
        }
    }

    /// Receives one job's pipes and forks its process; returns its pid (0 or less when nothing
    /// was forked), or nil once the service has closed the socket.
    private static func forkJob(control: Int32, spawner: pid_t) -> pid_t? {
        var fds: [Int32] = [-1, -1, -1]
        let count = cffmpeg_receive_fds(control, &fds, 3)
        if count == 0 || (count < 0 && errno != EINTR) { return nil }
        guard count == 3 else {
            for fd in fds where fd >= 0 { close(fd) }
            return 0
        }
        let pid = cffmpeg_fork()
        if pid == 0 { exit(runChild(stdio: fds, spawner: spawner)) }
        for fd in fds { close(fd) }
        reply(pid > 0 ? "started \(pid)" : "failed \(errno)", on: control)
        return pid
    }

    /// In the forked child: the job's pipes become its stdio, then it is a job worker.
    private static func runChild(stdio: [Int32], spawner: pid_t) -> Int32 {
        for (fd, target) in zip(stdio, [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO]) {
            dup2(fd, target)
        }
        // The spawner's other descriptors (its socket, other jobs' pidfds) are not this job's.
        closefrom(STDERR_FILENO + 1)
        return JobWorker.run(expectedParent: spawner)
    }

    private static func reapChildren(reportingOn control: Int32) {
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let pid = wait4(-1, &status, WNOHANG, &usage)
            guard pid > 0 else { return }
            reply("exited \(pid) \(status) \(usage.ru_maxrss)", on: control)
        }
    }

    private static func reply(_ line: String, on control: Int32) {
        var bytes = Array((line + "\n").utf8)
        _ = send(control, &bytes, bytes.count, Int32(MSG_NOSIGNAL))
    }
}
