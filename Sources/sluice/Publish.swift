import ArgumentParser
import Foundation
import Jobs
import PeerTubeClient
import Publishing

extension Sluice {
    /// `sluice publish FILE --state DIR --url URL --channel NAME [--tier T] [--privacy P] [--no-wait]`.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish one file on a PeerTube channel: prepare its package, upload the original, wait until published.",
            discussion: """
            Metadata comes from a sidecar NAME.yaml or NAME.json beside the file, then the container's \
            tags, then the file name. Every step is recorded in STATE/publications/: run the same command \
            again after a failure or a kill and it resumes (the upload at the instance's offset) without \
            making a second video. `sluice runner serve --state DIR` with the same state folder answers \
            the instance's transcoding jobs for the video from the package made here.
            """)

        @Argument(help: "The video (or audio) file to publish. It is only read.")
        var file: String

        @Option(help: "The state folder of `sluice login` (and of the runner that answers the video's jobs).")
        var state: String = "state"

        @Option(help: "The instance's URL (logged in with `sluice login`).")
        var url: String

        @Option(help: "The channel's name (default: the sidecar's channel, else the account's <username>_channel).")
        var channel: String?

        @Option(help: "public, unlisted, private or internal, when the sidecar does not say (default public).")
        var privacy: Privacy = .public

        @Flag(help: "Return once the upload is done instead of waiting until the instance says published.")
        var noWait = false

        @Option(help: "Upload chunk size in MB (default 8).")
        var chunkMB: Int = 8

        @Option(help: "original (the default; the instance may keep it as the source) or prepared (the package's top rung as an MP4: far less to send for phone and 4K masters).")
        var upload: UploadChoice = .original

        @Flag(help: "Keep the package (STATE/packages/) once the runner answered every job of the video from it.")
        var keepPackage = false

        @OptionGroup var tier: TierOptions

        @Flag(help: "Allow plain http:// to an instance that is not on this machine.")
        var allowInsecureHTTP = false

        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            do {
                try InstanceURL.checkSecure(url, allowInsecure: allowInsecureHTTP)
            } catch {
                CommandFailure.printLine("sluice: \(error)")
                throw ExitCode(2)
            }
            var settings = PublishSettings(pipeline: try CommandFailure.guarding { try tier.load() })
            settings.chunkSize = max(1, chunkMB) << 20
            settings.uploadPrepared = upload == .prepared
            settings.keepPackage = keepPackage
            let publisher = Publisher(state: URL(fileURLWithPath: state), settings: settings,
                                      runner: IsolatedRunner(limits: ProcessLimits(memory: ProcessLimits.defaultMemory(workers: 1))),
                                      logger: logging.bootstrap())
            do {
                let publication = try await publisher.publish(URL(fileURLWithPath: file),
                                                              to: PublishTarget(instance: url, channel: channel, privacy: privacy, wait: !noWait))
                report(publication)
            } catch {
                CommandFailure.printLine("sluice: \(file): \(error.reason)")
                throw ExitCode(error.kind == .refused ? 1 : 4)
            }
        }

        private func report(_ publication: Publication) {
            let url = publication.watchURL ?? ""
            switch publication.step {
            case .published: print(url)
            case .failed: CommandFailure.printLine("sluice: \(file): \(publication.error ?? "the instance gave up on it")")
            default: print("\(url) (uploaded; the instance says: \(publication.state ?? "processing"))")
            }
        }
    }
}

extension Privacy: ExpressibleByArgument {}

/// What `--upload` sends.
enum UploadChoice: String, ExpressibleByArgument, CaseIterable {
    case original, prepared
}
