import ArgumentParser
import Foundation
import Ingest
import Jobs
import Ladder
import Logging
import PeerTubeClient
import Publishing

/// `--publish URL --channel NAME --privacy P --publish-wait`, shared by `watch` and `import`:
/// every package is also published on a channel (over the configuration's `publish:` mapping).
struct PublishOptions: ParsableArguments {
    @Option(help: "Publish every package to this instance (logged in with `sluice login --state` the same state folder).")
    var publish: String?

    @Option(help: "The channel to publish to (default: a sidecar's channel, else the account's <username>_channel).")
    var channel: String?

    @Option(help: "public, unlisted, private or internal, when a sidecar does not say (default public).")
    var privacy: String?

    @Flag(help: "A job ends when the instance says published, not when it has the upload.")
    var publishWait = false

    @Option(help: "original (default) or prepared: upload the package's top rung instead of the original.")
    var upload: UploadChoice = .original

    @Option(help: "Upload chunk size in MB (default 8).")
    var chunkMB: Int = 8

    @Flag(help: "Allow plain http:// to an instance that is not on this machine.")
    var allowInsecureHTTP = false

    /// The flags as configuration values (they win over sluice.yaml and SLUICE_PUBLISH_*).
    var values: [String: String] {
        var values: [String: String] = [:]
        if let publish { values["publish.url"] = publish }
        if let channel { values["publish.channel"] = channel }
        if let privacy { values["publish.privacy"] = privacy }
        if publishWait { values["publish.wait"] = "true" }
        return values
    }

    /// The delivery of `settings`' `publish:` mapping, nil when nothing is published. `names`
    /// is where jobs' relative names (and their sidecars) are: the inbox.
    func delivery(settings: IngestConfiguration, state: URL, pipeline: Pipeline, logger: Logger, names: URL?) throws -> ChannelDelivery? {
        guard let url = settings.publishURL else { return nil }
        try InstanceURL.checkSecure(url, allowInsecure: allowInsecureHTTP)
        guard LoginStore(state: state).load(url) != nil else {
            throw ValidationError("not logged in to \(InstanceURL.normalized(url)): run `sluice login --state \(state.path) --url \(url)` first")
        }
        var publishing = PublishSettings(pipeline: pipeline)
        publishing.uploadPrepared = upload == .prepared
        publishing.chunkSize = max(1, chunkMB) << 20
        let publisher = Publisher(state: state, settings: publishing, runner: settings.runner, logger: logger)
        let target = PublishTarget(instance: url, channel: settings.publishChannel, privacy: Privacy(rawValue: settings.publishPrivacy) ?? .public,
                                   wait: settings.publishWait)
        return ChannelDelivery(publisher: publisher, target: target, names: names)
    }
}
