import ArgumentParser
import Jobs

extension Sluice {
    /// `sluice job-worker`: the child process a service starts for each job (hidden; see
    /// docs/worker-protocol.md). Reads one request on stdin, writes JSON lines on stdout.
    struct JobWorkerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "job-worker",
            abstract: "Run one job for a supervising Sluice service (internal).",
            shouldDisplay: false)

        func run() throws {
            let status = JobWorker.run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
