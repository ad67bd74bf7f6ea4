import Foundation

/// What a video is published with. Filled from the sidecar, the container's tags and the file
/// name (``MetadataResolver``), checked against PeerTube's rules (``check()``) before the upload.
public struct VideoMetadata: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var tags: [String]?
    public var privacy: Privacy?
    public var category: Int?
    public var licence: Int?
    public var language: String?
    public var nsfw: Bool?
    /// 1 enabled, 2 disabled, 3 requires approval.
    public var commentsPolicy: Int?
    public var downloadEnabled: Bool?
    public var originallyPublishedAt: Date?
    /// A date in the future: the video stays private until then, then takes `privacy`.
    public var publishAt: Date?
    public var thumbnail: URL?
    public var channel: String?
    public var support: String?
    /// Where each field came from (`sidecar clip.yaml`, `container tags`, `file name`), for messages.
    public var origins: [String: String] = [:]

    public init(name: String) {
        self.name = name
    }

    /// PeerTube's validators (peertube-upload-api.md §4), the first broken rule reported.
    public func check() throws(MetadataProblem) {
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        try rule("name", (3...120).contains(name.count), "\(name.count) characters; PeerTube takes 3 to 120")
        if let description { try rule("description", (3...10000).contains(description.count), "\(description.count) characters; PeerTube takes 3 to 10000") }
        if let support { try rule("support", (3...1000).contains(support.count), "\(support.count) characters; PeerTube takes 3 to 1000") }
        if let tags {
            try rule("tags", tags.count <= 5, "\(tags.count) tags; PeerTube takes at most 5")
            for tag in tags { try rule("tags", (2...30).contains(tag.count), "\"\(tag)\" has \(tag.count) characters; each tag takes 2 to 30") }
        }
        if let category { try rule("category", (1...18).contains(category), "\(category) is not one of PeerTube's categories (1 to 18)") }
        if let licence { try rule("licence", (1...9).contains(licence), "\(licence) is not one of PeerTube's licences (1 to 9)") }
        if let language { try rule("language", (1...10).contains(language.count), "\"\(language)\" is not a language code (1 to 10 characters, e.g. en)") }
        if let commentsPolicy { try rule("commentsPolicy", (1...3).contains(commentsPolicy), "\(commentsPolicy) is not 1, 2 or 3") }
        if let thumbnail {
            let size = (try? FileManager.default.attributesOfItem(atPath: thumbnail.path)[.size] as? Int) ?? nil
            try rule("thumbnail", size != nil, "\(thumbnail.path) cannot be read")
            try rule("thumbnail", ["png", "jpg", "jpeg", "webp"].contains(thumbnail.pathExtension.lowercased()),
                     "\(thumbnail.lastPathComponent) is not a PNG, JPEG or WebP image")
            try rule("thumbnail", (size ?? 0) <= 4 << 20, "\(thumbnail.lastPathComponent) is over 4 MB, the limit of PeerTube 6.3")
        }
        if let publishAt { try rule("publishAt", privacy != .private, "a scheduled publication needs privacy public, unlisted or internal, not private (\(publishAt))") }
    }

    private func rule(_ field: String, _ holds: Bool, _ problem: String) throws(MetadataProblem) {
        guard !holds else { return }
        throw MetadataProblem(field: field, origin: origins[field] ?? "the command line", rule: problem)
    }

    /// The upload's JSON fields (the init of the resumable upload). The video stays unlisted to
    /// others until it is watchable (`waitTranscoding`), and a scheduled one is private until then.
    public func uploadFields(channelID: Int, fileName: String, defaultPrivacy: Privacy) -> [String: Any] {
        var fields: [String: Any] = ["name": name.trimmingCharacters(in: .whitespacesAndNewlines), "channelId": channelID,
                                     "filename": fileName, "waitTranscoding": true]
        let privacy = self.privacy ?? defaultPrivacy
        if let publishAt, publishAt > Date() {
            fields["privacy"] = Privacy.private.id
            fields["scheduleUpdate"] = ["updateAt": Self.iso8601(publishAt), "privacy": privacy.id]
        } else {
            fields["privacy"] = privacy.id
        }
        if let description { fields["description"] = description }
        if let support { fields["support"] = support }
        if let tags { fields["tags"] = tags }
        if let category { fields["category"] = category }
        if let licence { fields["licence"] = licence }
        if let language { fields["language"] = language }
        if let nsfw { fields["nsfw"] = nsfw }
        if let commentsPolicy { fields["commentsPolicy"] = commentsPolicy }
        if let downloadEnabled { fields["downloadEnabled"] = downloadEnabled }
        if let originallyPublishedAt { fields["originallyPublishedAt"] = Self.iso8601(originallyPublishedAt) }
        return fields
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
