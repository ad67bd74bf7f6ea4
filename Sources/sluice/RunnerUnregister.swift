import ArgumentParser
import Foundation
import PeerTubeClient
import Runner

extension Sluice {
    /// `sluice runner unregister --state DIR --url URL`.
    struct RunnerUnregister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unregister", abstract: "Unregister this runner from an instance and forget its token.")

        @Option(help: "The runner's state folder.")
        var state: String = "state"

        @Option(help: "The instance's URL.")
        var url: String

        func run() async throws {
            let registration = RunnerRegistration(state: URL(fileURLWithPath: state), version: Sluice.configuration.version)
            do {
                let known = try await registration.unregister(url: url)
                print(known ? "unregistered from \(InstanceURL.normalized(url))"
                            : "\(InstanceURL.normalized(url)) no longer knew this runner; its token is forgotten")
            } catch let failure as RunnerRegistration.Failure {
                CommandFailure.printLine("sluice: cannot unregister: \(failure)")
                throw ExitCode(1)
            }
        }
    }
}
