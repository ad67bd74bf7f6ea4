import Foundation

/// How a child process ended, decoded from wait(2)'s status word.
enum ChildExit: Equatable, Sendable {
    case exited(Int32)
    case signaled(Int32)

    /// The status word's layout on Linux (glibc's `WIFEXITED` and friends are macros Swift
    /// cannot import): the low 7 bits are the terminating signal, 0 for a normal exit, whose
    /// code is in the next byte.
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// "signal 11, SIGSEGV".
    static func describe(signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
                                      SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT",
                                      SIGTRAP: "SIGTRAP", SIGPIPE: "SIGPIPE", SIGSYS: "SIGSYS", SIGXCPU: "SIGXCPU",
                                      SIGXFSZ: "SIGXFSZ", SIGHUP: "SIGHUP"]
        return "signal \(signal), \(names[signal] ?? String(cString: strsignal(signal)))"
    }
}
