import ArgumentParser

/// `sluice`: PeerTube-ready HLS from any upload, decoding once.
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Turn uploaded videos into PeerTube-ready HLS packages.",
        version: "0.1.0",
        subcommands: [Probe.self, Plan.self, Transcode.self, Watch.self, Status.self, Import.self, Login.self, Logout.self, Publish.self,
                      RunnerCommand.self, JobWorkerCommand.self]
    )
}
