import Foundation
import LibAV

/// A video's metadata, each field from the first place that has it: the sidecar file, then the
/// container's own tags (title, comment or description, date or creation_time as the original
/// publication date), then the file name.
public enum MetadataResolver {
    /// `original` is where the owner named the file, when it has moved since (a watch folder's
    /// work copy): the name and the sidecar come from there, the tags from `video`.
    public static func resolve(video: URL, original: URL? = nil) throws(MetadataProblem) -> VideoMetadata {
        let original = original ?? video
        let sidecar = try Sidecar.find(for: original)
        let tags = ContainerTags(video: video)
        var metadata = VideoMetadata(name: original.deletingPathExtension().lastPathComponent)
        metadata.origins["name"] = "file name"
        if let title = tags.title {
            metadata.name = title
            metadata.origins["name"] = "container tags"
        }
        if let description = tags.description {
            metadata.description = description
            metadata.origins["description"] = "container tags"
        }
        if let date = tags.date {
            metadata.originallyPublishedAt = date
            metadata.origins["originallyPublishedAt"] = "container tags"
        }
        if let sidecar { try apply(sidecar, to: &metadata) }
        return metadata
    }

    static func apply(_ sidecar: Sidecar, to metadata: inout VideoMetadata) throws(MetadataProblem) {
        for key in sidecar.values.keys { metadata.origins[canonical(key)] = sidecar.origin }
        if let name = sidecar.text("name", "title") { metadata.name = name }
        if let description = sidecar.text("description") { metadata.description = description.isEmpty ? nil : description }
        if let support = sidecar.text("support") { metadata.support = support.isEmpty ? nil : support }
        if let tags = sidecar.values["tags"] {
            guard let list = tags as? [Any] else { throw MetadataProblem(field: "tags", origin: sidecar.origin, rule: "must be a list") }
            metadata.tags = list.map { "\($0)".trimmingCharacters(in: .whitespaces) }
        }
        if let privacy = sidecar.text("privacy") {
            guard let value = Privacy(rawValue: privacy.lowercased()) else {
                throw MetadataProblem(field: "privacy", origin: sidecar.origin, rule: "\"\(privacy)\" is not public, unlisted, private or internal")
            }
            metadata.privacy = value
        }
        metadata.category = try number(sidecar, "category", names: PeerTubeNames.categories) ?? metadata.category
        metadata.licence = try number(sidecar, "licence", "license", names: PeerTubeNames.licences) ?? metadata.licence
        if let language = sidecar.text("language") { metadata.language = language }
        metadata.nsfw = try sidecar.flag("nsfw") ?? metadata.nsfw
        metadata.downloadEnabled = try sidecar.flag("downloadEnabled", "download") ?? metadata.downloadEnabled
        metadata.commentsPolicy = try commentsPolicy(sidecar) ?? metadata.commentsPolicy
        metadata.originallyPublishedAt = try date(sidecar, "originallyPublishedAt") ?? metadata.originallyPublishedAt
        metadata.publishAt = try date(sidecar, "publishAt")
        if let thumbnail = sidecar.text("thumbnail") {
            metadata.thumbnail = URL(fileURLWithPath: thumbnail, relativeTo: sidecar.file.deletingLastPathComponent()).standardizedFileURL
        }
        if let channel = sidecar.text("channel") { metadata.channel = channel }
    }

    static func canonical(_ key: String) -> String {
        ["title": "name", "license": "licence", "comments": "commentsPolicy", "download": "downloadEnabled"][key] ?? key
    }

    /// A number, or one of PeerTube's English names for it (`Music`, `Attribution - Share Alike`).
    static func number(_ sidecar: Sidecar, _ keys: String..., names: [String]) throws(MetadataProblem) -> Int? {
        for key in keys {
            guard let value = sidecar.values[key] else { continue }
            if let number = value as? Int { return number }
            let text = "\(value)".trimmingCharacters(in: .whitespaces)
            if let number = Int(text) { return number }
            if let index = names.firstIndex(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) { return index + 1 }
            throw MetadataProblem(field: canonical(key), origin: sidecar.origin, rule: "\"\(text)\" is neither a number nor one of \(names.joined(separator: ", "))")
        }
        return nil
    }

    /// `commentsPolicy: enabled | disabled | requires-approval | 1-3`, or `comments: true/false`.
    static func commentsPolicy(_ sidecar: Sidecar) throws(MetadataProblem) -> Int? {
        if let policy = sidecar.text("commentsPolicy") {
            switch policy.lowercased() {
            case "enabled", "1": return 1
            case "disabled", "2": return 2
            case "requires-approval", "requires approval", "approval", "3": return 3
            default: throw MetadataProblem(field: "commentsPolicy", origin: sidecar.origin, rule: "\"\(policy)\" is not enabled, disabled or requires-approval")
            }
        }
        return try sidecar.flag("comments").map { $0 ? 1 : 2 }
    }

    static func date(_ sidecar: Sidecar, _ key: String) throws(MetadataProblem) -> Date? {
        guard let value = sidecar.values[key] else { return nil }
        if let date = value as? Date { return date }
        guard let date = ContainerTags.parseDate("\(value)") else {
            throw MetadataProblem(field: key, origin: sidecar.origin, rule: "\"\(value)\" is not an ISO 8601 date (2024-05-20 or 2024-05-20T18:00:00Z)")
        }
        return date
    }
}
