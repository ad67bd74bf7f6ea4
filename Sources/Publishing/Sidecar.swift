import Foundation
import Jobs
import Yams

/// `NAME.yaml`, `NAME.yml` or `NAME.json` beside `NAME.ext`: the video's metadata as its owner
/// wrote it. Unknown keys are refused by name (a misspelt `descripton` would otherwise be
/// dropped without a word).
struct Sidecar {
    static let keys: Set<String> = ["name", "title", "description", "tags", "privacy", "category", "licence", "license", "language",
                                    "nsfw", "commentsPolicy", "comments", "downloadEnabled", "download", "originallyPublishedAt",
                                    "publishAt", "thumbnail", "channel", "support"]

    let file: URL
    let values: [String: Any]

    /// The sidecar of `video`, nil when it has none.
    static func find(for video: URL) throws(MetadataProblem) -> Sidecar? {
        let base = video.deletingPathExtension()
        for ext in SidecarFile.extensions {
            let file = base.appendingPathExtension(ext)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            return try read(file)
        }
        return nil
    }

    static func read(_ file: URL) throws(MetadataProblem) -> Sidecar {
        let origin = "sidecar \(file.lastPathComponent)"
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw MetadataProblem(field: "sidecar", origin: origin, rule: "cannot be read as UTF-8 text")
        }
        let parsed: Any?
        do {
            parsed = file.pathExtension == "json" ? try JSONSerialization.jsonObject(with: Data(text.utf8)) : try Yams.load(yaml: text)
        } catch {
            throw MetadataProblem(field: "sidecar", origin: origin, rule: "is not valid \(file.pathExtension.uppercased()): \(error)")
        }
        guard let values = parsed as? [String: Any] else {
            throw MetadataProblem(field: "sidecar", origin: origin, rule: "must be a mapping of fields (name: …, tags: […])")
        }
        if let unknown = values.keys.sorted().first(where: { !keys.contains($0) }) {
            throw MetadataProblem(field: unknown, origin: origin, rule: "is not a field Sluice knows (\(keys.sorted().joined(separator: ", ")))")
        }
        return Sidecar(file: file, values: values)
    }

    var origin: String { "sidecar \(file.lastPathComponent)" }

    func text(_ keys: String...) -> String? {
        for key in keys {
            if let value = values[key] { return "\(value)".trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return nil
    }

    func flag(_ keys: String...) throws(MetadataProblem) -> Bool? {
        for key in keys {
            guard let value = values[key] else { continue }
            if let bool = value as? Bool { return bool }
            switch "\(value)".lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw MetadataProblem(field: key, origin: origin, rule: "\"\(value)\" is not true or false")
            }
        }
        return nil
    }
}
