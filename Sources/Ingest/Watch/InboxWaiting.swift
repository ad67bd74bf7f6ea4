import Foundation
import Jobs

/// The files the watcher sees in the inbox but has not taken yet, and why: written to
/// `STATE/inbox.json` at each scan, so `sluice status` (another process) and `/api/jobs` can say
/// that a recording is "still being written" rather than show nothing.
public struct InboxWaiting: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        /// The path below the inbox.
        public var file: String
        public var size: Int64
        /// `still being written` (a process has it open for writing) or `settling` (waiting for
        /// its size and time to stay unchanged for the settle window).
        public var state: String
    }

    public static let beingWritten = "still being written"
    public static let settling = "settling"

    public var files: [File]
    public var updatedAt: Date

    static func url(state: URL) -> URL { state.appendingPathComponent("inbox.json") }

    /// Replaces the file atomically; a failure to write it only costs the status its detail.
    func write(state: URL) {
        guard let data = try? JobView.encoder().encode(self) else { return }
        try? data.write(to: Self.url(state: state), options: .atomic)
    }

    /// What the watcher last wrote, or nil when it never ran.
    public static func read(state: URL) -> InboxWaiting? {
        guard let data = try? Data(contentsOf: url(state: state)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(InboxWaiting.self, from: data)
    }
}
