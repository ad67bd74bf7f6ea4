import ArgumentParser
import Foundation
import Runner

extension Sluice {
    /// `sluice runner status --state DIR [--json]`: instances, held jobs and counts (also while it runs).
    struct RunnerStatus: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what a runner holds and has done.")

        @Option(help: "The runner's state folder.")
        var state: String = "state"

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let folder = URL(fileURLWithPath: state)
            let instances = try RunnerRegistry(state: folder).instances()
            let held = RunnerStatusReport.heldJobs(state: folder)
            let snapshot = RunnerStatistics.read(state: folder)
            if json {
                let report = RunnerStatusReport(instances: instances.map(\.url), held: held, statistics: snapshot)
                print(try JSONOutput.string(report))
                return
            }
            print("instances: " + (instances.isEmpty ? "none registered" : instances.map { "\($0.url) ('\($0.name)')" }.joined(separator: ", ")))
            print("held jobs: \(held.count)" + (held.isEmpty ? "" : " (" + held.joined(separator: ", ") + ")"))
            guard let snapshot else { return print("no statistics yet (has `sluice runner serve` run with --state \(state)?)") }
            for (name, count) in snapshot.jobs.sorted(by: { $0.key < $1.key }) { print("  \(name): \(count)") }
            let speed = snapshot.seconds > 0 ? String(format: "%.2fx realtime", snapshot.mediaSeconds / snapshot.seconds) : "-"
            print("bytes down \(snapshot.bytesDown), up \(snapshot.bytesUp); \(speed)")
            for (url, up) in snapshot.reachable.sorted(by: { $0.key < $1.key }) {
                let socket = snapshot.sockets[url] == true ? ", notifications connected" : ", no notifications (polling)"
                print("  \(url): \(up ? "reachable" : "NOT reachable") at the last poll\(socket)")
            }
        }
    }
}
