import Foundation
import Jobs
import Transcoding

/// What `sluice import` does.
public struct ImportOptions: Sendable {
    public enum Layout: String, Sendable, CaseIterable {
        /// `OUT/<videoUUID>/` per video, everything inside.
        case flat
        /// PeerTube's storage tree: `streaming-playlists/hls/<videoUUID>/`, `torrents/`, `thumbnails/`,
        /// `previews/`, `storyboards/`, ready to copy into an instance's storage.
        case peertube
    }

    public var library: URL
    public var output: URL
    /// The job store of the import; `OUT/.state` by default, so a re-run resumes.
    public var state: URL
    public var workers: Int
    public var baseURL: String?
    public var layout: Layout
    /// How jobs are run: attempts, retry backoff, stall timeout, input limits, free space; the
    /// same settings as the watch service's (`IngestConfiguration.jobPolicy`). Its `output` and
    /// `baseURL` are replaced by this import's.
    public var policy: JobPolicy
    /// Where each package is published (`--publish`), if anywhere.
    public var delivery: (any JobDelivery)?
    /// `--shard I/N`: this machine takes only the files whose content key falls in share I of N.
    public var shard: Shard?

    public init(library: URL, output: URL, state: URL? = nil, workers: Int = 2, baseURL: String? = nil, layout: Layout = .flat) {
        self.library = library.standardizedFileURL
        self.output = output.standardizedFileURL
        self.state = state ?? output.appendingPathComponent(".state")
        self.workers = max(1, workers)
        self.baseURL = baseURL
        self.layout = layout
        policy = JobPolicy(output: self.output)
    }

    /// ``policy`` with this import's package folder and base URL.
    var jobPolicy: JobPolicy {
        var policy = self.policy
        policy.output = packages
        policy.baseURL = baseURL
        return policy
    }

    /// Where packages go.
    var packages: URL {
        layout == .peertube ? output.appendingPathComponent("streaming-playlists/hls", isDirectory: true) : output
    }
}
