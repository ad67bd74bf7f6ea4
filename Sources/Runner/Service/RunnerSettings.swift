import Foundation
import Jobs
import Yams

/// Settings of `sluice runner serve` besides its flags: the `runner:` mapping of `sluice.yaml`,
/// then `SLUICE_RUNNER_*` environment variables (flags win over both).
///
/// Keys (YAML / environment): `state` / `SLUICE_RUNNER_STATE`, `concurrency`, `jobs` (comma-separated
/// types), `tier`, `poll` (seconds), `http` (host:port or off), `jobMemoryLimit` (K/M/G),
/// `niceness` (0 to 19), `stallTimeout` (seconds a pass may make no progress, default 120), `liveReadTimeout` (seconds a
/// live's stream may send nothing, default 10), `notifications` (true: listen to
/// socket.io's `available-jobs`; false: poll only); the environment names are the keys in capitals with `_` between words.
public enum RunnerSettings {
    public static let keys = ["state", "concurrency", "jobs", "tier", "poll", "http", "jobMemoryLimit", "niceness", "stallTimeout", "liveReadTimeout",
                                     "notifications"]

    /// The values by key; unknown keys in the file are refused with the key named.
    public static func load(file: URL?, environment: [String: String]) throws -> [String: String] {
        var values: [String: String] = [:]
        if let file, FileManager.default.fileExists(atPath: file.path) {
            let root = try Yams.load(yaml: String(contentsOf: file, encoding: .utf8)) as? [String: Any]
            if let section = root?["runner"] {
                guard let map = section as? [String: Any] else { throw SettingsError("runner: in \(file.path) must be a mapping") }
                for (key, value) in map {
                    guard keys.contains(key) else {
                        throw SettingsError("runner.\(key) in \(file.path) is not a known key (known: \(keys.joined(separator: ", ")))")
                    }
                    values[key] = "\(value)"
                }
            }
        }
        for key in keys {
            if let value = environment["SLUICE_RUNNER_" + SettingName.environment(key)] { values[key] = value }
        }
        return values
    }

    public struct SettingsError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
