import Foundation

/// The state folder: `sluice.sqlite`, and `work/`, `done/`, `quarantine/` for sources.
/// Sources move between these by rename only (same file system), never by copy or delete.
public struct StateFolders: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public var database: URL { root.appendingPathComponent("sluice.sqlite") }
    /// Whether the service is taking jobs (see ``HealthFile``).
    package var health: HealthFile { HealthFile(url: root.appendingPathComponent("health.json")) }
    public var work: URL { root.appendingPathComponent("work", isDirectory: true) }
    public var done: URL { root.appendingPathComponent("done", isDirectory: true) }
    public var quarantine: URL { root.appendingPathComponent("quarantine", isDirectory: true) }

    public func create() throws {
        for folder in [root, work, done, quarantine] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// Work files are `<token>__<original name>`, so a file found in `work/` after a crash still
    /// knows its name.
    package static let workSeparator = "__"

    package func workPath(for name: String) -> URL {
        work.appendingPathComponent("\(UUID().uuidString.prefix(8).lowercased())\(Self.workSeparator)\(name)")
    }

    package static func originalName(ofWorkFile name: String) -> String {
        guard let range = name.range(of: workSeparator) else { return name }
        return String(name[range.upperBound...])
    }

    /// A path in `folder` for `name` that does not exist yet: `name`, then `name (2)`, ...
    package static func freePath(in folder: URL, for name: String) -> URL {
        let candidate = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: candidate.path) else { return candidate }
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        for index in 2... {
            let next = folder.appendingPathComponent(ext.isEmpty ? "\(stem) (\(index))" : "\(stem) (\(index)).\(ext)")
            if !FileManager.default.fileExists(atPath: next.path) { return next }
        }
        return candidate
    }

    /// Moves by rename(2): atomic, and it fails rather than copy across file systems.
    package static func move(_ source: String, to destination: String) throws {
        if rename(source, destination) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey:
                "cannot move \(source) to \(destination): \(String(cString: strerror(errno)))"])
        }
    }
}
