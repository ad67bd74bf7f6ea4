import Foundation
import Jobs

/// `import-report.json`: one entry per file found, whatever became of it.
public struct ImportReport: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var file: String
        /// `done`, `duplicate`, `failed`, `skipped` (not a video), or `pending` (interrupted).
        public var status: String
        public var outputFolder: String?
        public var duration: Double?
        public var renditions: [Int]?
        public var bytesIn: Int64
        public var bytesOut: Int64?
        public var seconds: Double?
        public var error: String?
        public var duplicateOf: String?
        /// With `--publish`: the video's page on the instance, and what the instance says of it.
        public var remoteURL: String?
        public var remoteState: String?
    }

    public var library: String
    public var output: String
    public var startedAt: Date
    public var finishedAt: Date
    public var counts: [String: Int]
    public var entries: [Entry]

    /// A few lines for a person.
    public var summary: String {
        var lines = ["Imported \(library) into \(output)"]
        lines.append(counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        for entry in entries where entry.status == "failed" {
            lines.append("  failed  \(entry.file): \(entry.error ?? "")")
        }
        for entry in entries where entry.status == "skipped" {
            lines.append("  skipped \(entry.file): \(entry.error ?? "")")
        }
        for entry in entries where entry.remoteURL != nil {
            lines.append("  published \(entry.file): \(entry.remoteURL ?? "") (\(entry.remoteState ?? ""))")
        }
        let seconds = finishedAt.timeIntervalSince(startedAt)
        lines.append(String(format: "%.1f s; report in import-report.json, packages listed in index.json", seconds))
        return lines.joined(separator: "\n")
    }
}
