import ArgumentParser
import Foundation
import Runner

extension Sluice {
    /// `sluice runner register --state DIR --url URL --registration-token TOKEN --name NAME`.
    struct RunnerRegister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register",
            abstract: "Register this runner with an instance (Administration > Remote runners gives the token).")

        @Option(help: "The runner's state folder, where the runner token is kept (owner-only).")
        var state: String = "state"

        @Option(help: "The instance's URL, e.g. https://tube.example.org.")
        var url: String

        @Option(help: "A registration token from the instance's admin (ptrrt-...).")
        var registrationToken: String

        @Option(help: "This runner's name on the instance (unique there).")
        var name: String

        @Option(help: "A description shown to the instance's admins.")
        var description: String?

        func run() async throws {
            let registration = RunnerRegistration(state: URL(fileURLWithPath: state), version: Sluice.configuration.version)
            do {
                let instance = try await registration.register(url: url, registrationToken: registrationToken, name: name,
                                                               description: description)
                print("registered with \(instance.url) as '\(instance.name)' (runner \(instance.runnerID ?? "without an id")); token kept in \(registration.registry.file.path)")
            } catch let failure as RunnerRegistration.Failure {
                CommandFailure.printLine("sluice: cannot register: \(failure)")
                throw ExitCode(1)
            }
        }
    }
}
