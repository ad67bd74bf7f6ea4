import Foundation

/// `STATE/health.json`: whether the service is taking jobs, and why not, for `sluice status`
/// (which reads the state folder, not the running service).
package struct HealthFile: Sendable {
    package struct Contents: Codable, Sendable, Equatable {
        package var status: String
        package var reason: String?
        package var since: Date
    }

    package let url: URL

    package init(url: URL) {
        self.url = url
    }

    /// Records `degraded` with its reason, or `ok` when nil.
    package func write(degraded reason: String?) {
        let contents = Contents(status: reason == nil ? "ok" : "degraded", reason: reason, since: Date())
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try? encoder.encode(contents).write(to: url, options: .atomic)
    }

    package func read() -> Contents? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? Data(contentsOf: url)).flatMap { try? decoder.decode(Contents.self, from: $0) }
    }
}
