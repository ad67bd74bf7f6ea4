import ArgumentParser
import Foundation
import Ingest
import Jobs

extension Sluice {
    /// `sluice status --state DIR [--json]`: the queue, read from the job store (also while the service runs).
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the jobs of a watch-folder service.")

        @Option(help: "The service's state folder.")
        var state: String = "state"

        @Flag(help: "Print JSON: {\"jobs\": [...], \"counts\": {...}}.")
        var json = false

        func run() throws {
            let database = URL(fileURLWithPath: state).appendingPathComponent("sluice.sqlite")
            guard FileManager.default.fileExists(atPath: database.path) else {
                CommandFailure.printLine("sluice: no job store at \(database.path) (has `sluice watch` run with --state \(state)?)")
                throw ExitCode(2)
            }
            let store = try JobStore(path: database.path, readOnly: true)
            let jobs = try store.jobs().map(JobView.init)
            let health = StateFolders(root: URL(fileURLWithPath: state)).health.read()
            let waiting = InboxWaiting.read(state: URL(fileURLWithPath: state))?.files ?? []
            if json {
                struct Output: Encodable {
                    var jobs: [JobView]
                    var counts: [String: Int]
                    var waiting: [InboxWaiting.File]
                    var health: String?
                    var healthReason: String?
                }
                let counts = Dictionary(grouping: jobs, by: \.state).mapValues(\.count)
                let output = Output(jobs: jobs, counts: counts, waiting: waiting, health: health?.status, healthReason: health?.reason)
                print(String(decoding: try JobView.encoder().encode(output), as: UTF8.self))
                return
            }
            if let health, let reason = health.reason { print("Not taking jobs: \(reason)\n") }
            if !waiting.isEmpty {
                print("In the inbox, not taken yet:")
                for file in waiting { print("  \(file.file) (\(file.size) bytes): \(file.state)") }
                print("")
            }
            if jobs.isEmpty { print("No jobs yet."); return }
            print("   id  state        progress  attempts  file")
            for job in jobs {
                var line = String(format: "%5lld  ", job.id) + job.state.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + String(format: "  %7.1f%%  %8d  ", job.progress, job.attempts) + job.file
                if let rendition = job.currentRendition, job.state == "running" { line += "  [\(rendition)]" }
                if let reason = job.reason, job.state != "done" { line += "  - \(reason)" }
                if let url = job.remoteURL { line += "  -> \(url) (\(job.remoteState ?? "uploaded"))" }
                print(line)
            }
        }
    }
}
