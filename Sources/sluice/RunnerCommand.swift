import ArgumentParser

extension Sluice {
    /// `sluice runner register|unregister|list`: Sluice as a PeerTube remote runner.
    struct RunnerCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runner",
            abstract: "Register Sluice with PeerTube instances as a remote runner.",
            subcommands: [RunnerRegister.self, RunnerUnregister.self, RunnerList.self, RunnerServe.self, RunnerStatus.self]
        )
    }
}
