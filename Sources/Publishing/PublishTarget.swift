import Foundation

/// Where and how a file is published: the instance, the channel (the sidecar's, else this one,
/// else the account's default `<username>_channel`), the privacy when the sidecar gives none,
/// and whether to wait until the instance says published.
public struct PublishTarget: Sendable {
    public var instance: String
    public var channel: String?
    public var privacy: Privacy
    public var wait: Bool

    public init(instance: String, channel: String?, privacy: Privacy = .public, wait: Bool = true) {
        self.instance = instance
        self.channel = channel
        self.privacy = privacy
        self.wait = wait
    }
}
