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
    /// Longer or larger inputs are reported as failed with the limit named.
    public var inputLimits = InputLimits(maxDuration: 24 * 3600, maxPixels: 7680 * 4320)
    /// Free space kept on the output and state disks beyond every job's estimate.
    public var minFreeSpace: Int64 = 512 << 20

    public init(library: URL, output: URL, state: URL? = nil, workers: Int = 2, baseURL: String? = nil, layout: Layout = .flat) {
        self.library = library.standardizedFileURL
        self.output = output.standardizedFileURL
        self.state = state ?? output.appendingPathComponent(".state")
        self.workers = max(1, workers)
        self.baseURL = baseURL
        self.layout = layout
    }

    /// Where packages go.
    var packages: URL {
        layout == .peertube ? output.appendingPathComponent("streaming-playlists/hls", isDirectory: true) : output
    }
}
