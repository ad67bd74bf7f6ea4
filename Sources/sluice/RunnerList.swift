import ArgumentParser
import Foundation
import Runner

extension Sluice {
    /// `sluice runner list --state DIR [--json]`: the instances, never the tokens.
    struct RunnerList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the instances this runner is registered with.")

        @Option(help: "The runner's state folder.")
        var state: String = "state"

        @Flag(help: "Print JSON (without the tokens).")
        var json = false

        func run() throws {
            let instances = try RunnerRegistry(state: URL(fileURLWithPath: state)).instances()
            if json {
                let rows = instances.map { ["url": $0.url, "name": $0.name, "runnerId": $0.runnerID ?? "",
                                            "registeredAt": ISO8601DateFormatter().string(from: $0.registeredAt)] }
                print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys]),
                             as: UTF8.self))
                return
            }
            if instances.isEmpty { print("not registered with any instance") }
            for instance in instances {
                print("\(instance.url)  '\(instance.name)'  runner \(instance.runnerID ?? "-")  since \(ISO8601DateFormatter().string(from: instance.registeredAt))")
            }
        }
    }
}
