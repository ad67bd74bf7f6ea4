import Foundation
import Jobs
import Transcoding
import Yams

/// Settings of `sluice watch`, from `sluice.yaml`, then `SLUICE_*` environment variables, then
/// flags (flags win).
///
/// Keys (YAML / environment):
/// - `inbox` / `SLUICE_INBOX` (path, default `./inbox`)
/// - `output` / `SLUICE_OUTPUT` (path, default `./out`)
/// - `state` / `SLUICE_STATE` (path, default `./state`)
/// - `tier` / `SLUICE_TIER` (string, default `mid`)
/// - `workers` / `SLUICE_WORKERS` (int, default: the core count)
/// - `settle` / `SLUICE_SETTLE` (seconds, default 10)
/// - `rescan` / `SLUICE_RESCAN` (seconds between full inbox scans, default 5)
/// - `http` / `SLUICE_HTTP` (host:port, default `127.0.0.1:8080`; `off` disables it)
/// - `token` / `SLUICE_TOKEN` (bearer token for write calls; required when not on loopback)
/// - `maxAttempts` / `SLUICE_MAX_ATTEMPTS` (int, default 3)
/// - `retryBackoff` / `SLUICE_RETRY_BACKOFF` (seconds before the first retry, doubling; default 30)
/// - `stallTimeout` / `SLUICE_STALL_TIMEOUT` (seconds without progress before a job is cancelled, default 120)
/// - `shutdownTimeout` / `SLUICE_SHUTDOWN_TIMEOUT` (seconds running jobs get on SIGTERM, default 30)
/// - `baseUrl` / `SLUICE_BASE_URL` (the instance's public URL, for torrent web seeds and trackers)
/// - `jobMemoryLimit` / `SLUICE_JOB_MEMORY_LIMIT` (bytes a job's process may hold, with K/M/G units;
///   default three quarters of the machine's memory shared by the workers, at least 1G; 0 for none)
/// - `niceness` / `SLUICE_NICENESS` (0 to 19, the jobs' scheduling priority as nice(1); default 19, as PeerTube's runner)
/// - `maxDuration` / `SLUICE_MAX_DURATION` (seconds; longer inputs are refused at probe; default 86400, 0 for none)
/// - `maxPixels` / `SLUICE_MAX_PIXELS` (pixels per frame; larger inputs are refused; default 8K UHD, 0 for none)
/// - `minFreeSpace` / `SLUICE_MIN_FREE_SPACE` (bytes kept free on the output and state disks beyond
///   each job's estimate, with K/M/G units; default 512M)
/// - `maxInterruptions` / `SLUICE_MAX_INTERRUPTIONS` (with `isolation: none`, service deaths in a row
///   a running job may see before it is quarantined; default 3. With isolation no input can kill
///   the service, so interrupted jobs are always resumed)
/// - `isolation` / `SLUICE_ISOLATION` (`process`, the default: every job in a child process;
///   `none` runs jobs inside the service, only to measure what isolation costs: a crash in
///   FFmpeg then takes the service down)
/// - `publish:` a mapping (or `SLUICE_PUBLISH_URL`, `_CHANNEL`, `_PRIVACY`, `_WAIT`): `url` of the
///   instance to publish every package to (logged in with `sluice login --state` this state
///   folder), `channel` (default the account's `<username>_channel`), `privacy` when a sidecar
///   gives none (default `public`), `wait` (true: a job ends when the instance says published;
///   default false: when it has the upload)
public struct IngestConfiguration: Sendable, Equatable {
    public var inbox = URL(fileURLWithPath: "inbox")
    public var output = URL(fileURLWithPath: "out")
    public var state = URL(fileURLWithPath: "state")
    public var tier = "mid"
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var settle: TimeInterval = 10
    public var rescan: TimeInterval = 5
    public var http: String? = "127.0.0.1:8080"
    public var token: String?
    public var maxAttempts = 3
    public var retryBackoff: TimeInterval = 30
    public var stallTimeout: TimeInterval = 120
    public var shutdownTimeout: TimeInterval = 30
    public var baseURL: String?
    /// Nil: ``ProcessLimits/defaultMemory(workers:)``.
    public var jobMemoryLimit: Int64?
    public var niceness: Int32 = 19
    public var maxDuration: Double = 24 * 3600
    public var maxPixels = 7680 * 4320
    public var minFreeSpace: Int64 = 512 << 20
    public var maxInterruptions = 3
    /// Whether jobs run in child processes (the default) or in the service.
    public var isolated = true
    /// `publish.url`: the instance every package is published to, if any.
    public var publishURL: String?
    public var publishChannel: String?
    public var publishPrivacy = "public"
    public var publishWait = false

    public init() {}

    /// Where jobs run: a child process per job, or (`isolation: none`) the service itself.
    public var runner: any TranscodeRunner {
        guard isolated else { return EngineRunner() }
        var runner = IsolatedRunner(limits: processLimits)
        // A probe that says nothing for as long as a job may make no progress has hung.
        runner.checkTimeout = stallTimeout
        return runner
    }

    /// What the job layer needs of these settings.
    public var jobPolicy: JobPolicy {
        var policy = JobPolicy(output: output)
        policy.baseURL = baseURL
        policy.maxAttempts = maxAttempts
        policy.retryBackoff = retryBackoff
        policy.stallTimeout = stallTimeout
        policy.shutdownTimeout = shutdownTimeout
        // With every job in a child process no input can take the service down: its deaths are
        // the machine's or an operator's (kill -9, a stop), never a reason to quarantine a file
        // that happened to be running. Only in-process jobs can crash-loop the service.
        policy.maxInterruptions = isolated ? .max : maxInterruptions
        policy.inputLimits = InputLimits(maxDuration: maxDuration, maxPixels: maxPixels)
        policy.minFreeSpace = minFreeSpace
        return policy
    }

    /// The limits every job's child process runs under.
    public var processLimits: ProcessLimits {
        ProcessLimits(memory: jobMemoryLimit ?? ProcessLimits.defaultMemory(workers: workers), niceness: niceness)
    }

    /// Reads `file` (if given and present) and the environment over the defaults.
    public static func load(file: URL?, environment: [String: String]) throws -> IngestConfiguration {
        var configuration = IngestConfiguration()
        var values: [String: String] = [:]
        if let file, FileManager.default.fileExists(atPath: file.path) {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard let map = try Yams.load(yaml: text) as? [String: Any] else {
                throw ConfigurationError(key: nil, problem: "\(file.path) must be a mapping of keys to values")
            }
            for (key, value) in map {
                if let nested = value as? [String: Any] {
                    for (inner, value) in nested { values["\(key).\(inner)"] = "\(value)" }
                } else {
                    values[key] = "\(value)"
                }
            }
        }
        for key in Self.keys {
            if let value = environment["SLUICE_" + Self.environmentName(key)] { values[key] = value }
        }
        try configuration.apply(values)
        return configuration
    }

    static let keys = ["inbox", "output", "state", "tier", "workers", "settle", "rescan", "http", "token",
                       "maxAttempts", "retryBackoff", "stallTimeout", "shutdownTimeout", "baseUrl", "jobMemoryLimit",
                       "niceness", "maxDuration", "maxPixels", "minFreeSpace", "maxInterruptions", "isolation",
                       "publish.url", "publish.channel", "publish.privacy", "publish.wait"]

    static func environmentName(_ key: String) -> String {
        SettingName.environment(key).replacingOccurrences(of: ".", with: "_")
    }

    /// Applies string values by key, refusing unknown keys and bad numbers with the key named.
    public mutating func apply(_ values: [String: String]) throws {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            func number() throws -> Double {
                guard let number = Double(value), number >= 0 else {
                    throw ConfigurationError(key: key, problem: "'\(value)' is not a non-negative number")
                }
                return number
            }
            switch key {
            case "inbox": inbox = URL(fileURLWithPath: value)
            case "output": output = URL(fileURLWithPath: value)
            case "state": state = URL(fileURLWithPath: value)
            case "tier": tier = value
            case "workers": workers = max(1, Int(try number()))
            case "settle": settle = try number()
            case "rescan": rescan = max(0.2, try number())
            case "http": http = ["off", "none", "false", ""].contains(value.lowercased()) ? nil : value
            case "token": token = value.isEmpty ? nil : value
            case "maxAttempts": maxAttempts = max(1, Int(try number()))
            case "retryBackoff": retryBackoff = try number()
            case "stallTimeout": stallTimeout = max(1, try number())
            case "shutdownTimeout": shutdownTimeout = try number()
            case "baseUrl": baseURL = value.isEmpty ? nil : value
            case "jobMemoryLimit": jobMemoryLimit = try ByteCount.parse(value, key: key)
            case "niceness":
                guard let level = Int32(value), (0...19).contains(level) else {
                    throw ConfigurationError(key: key, problem: "must be 0 to 19 (got '\(value)')")
                }
                niceness = level
            case "maxDuration": maxDuration = try number()
            case "maxPixels": maxPixels = Int(try number())
            case "minFreeSpace": minFreeSpace = try ByteCount.parse(value, key: key)
            case "maxInterruptions": maxInterruptions = max(1, Int(try number()))
            case "isolation":
                guard ["process", "none"].contains(value) else {
                    throw ConfigurationError(key: key, problem: "must be process or none (got '\(value)')")
                }
                isolated = value == "process"
            case "publish.url": publishURL = value.isEmpty ? nil : value
            case "publish.channel": publishChannel = value.isEmpty ? nil : value
            case "publish.privacy":
                guard ["public", "unlisted", "private", "internal"].contains(value) else {
                    throw ConfigurationError(key: key, problem: "must be public, unlisted, private or internal (got '\(value)')")
                }
                publishPrivacy = value
            case "publish.wait":
                guard let flag = Bool(value.lowercased()) else { throw ConfigurationError(key: key, problem: "must be true or false") }
                publishWait = flag
            default: throw ConfigurationError(key: key, problem: "is not a known key (known: \(Self.keys.joined(separator: ", ")))")
            }
        }
    }

    /// Host and port of the HTTP listener, nil when it is off.
    public var httpAddress: (host: String, port: Int)? {
        guard let http, let colon = http.lastIndex(of: ":"), let port = Int(http[http.index(after: colon)...]) else { return nil }
        return (String(http[..<colon]), port)
    }

    /// Whether the listener is reachable only from this machine.
    public var isLoopbackOnly: Bool {
        guard let host = httpAddress?.host else { return true }
        return host == "127.0.0.1" || host == "localhost" || host == "::1"
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var key: String?
    public var problem: String

    public var description: String {
        key.map { "configuration key '\($0)' \(problem)" } ?? "configuration \(problem)"
    }
}
