import Foundation

/// One file's way onto one channel, kept durably at every step so that a run killed at any
/// moment resumes where it was and never makes a second video from the same file.
public struct Publication: Codable, Sendable, Equatable {
    public enum Step: String, Codable, Sendable {
        /// Sluice is making the package.
        case preparing
        /// The package is ready; nothing sent yet.
        case prepared
        /// Bytes are going to the instance (`uploadID`, `confirmedBytes`).
        case uploading
        /// The instance made the video (`video`); the runner can answer its jobs.
        case uploaded
        /// The instance says the video is published.
        case published
        /// The instance refused the file or gave up on it (`error`).
        case failed
    }

    /// SHA-256 of the source's bytes: the same file under another name is the same publication.
    public var fingerprint: String
    public var instance: String
    public var channel: String
    public var source: String
    public var sourceSize: Int64
    public var step: Step
    public var name: String
    /// The package Sluice made (`<folder>/<videoUUID>/`), which the runner answers jobs from.
    public var package: String?
    public var uploadID: String?
    /// The `lastModified` sent at the upload's start: the same value finds the same upload again.
    public var lastModified: Int64?
    public var confirmedBytes: Int64 = 0
    /// The last chunk was sent and the video's answer is not recorded yet.
    public var finishing: Bool?
    /// The time the first upload started, before which no video of ours can have been created.
    public var uploadStarted: Date?
    public var videoID: Int?
    public var videoUUID: String?
    public var watchURL: String?
    public var state: String?
    public var error: String?
    public var updatedAt: Date
    /// The jobs the instance is expected to queue for the video (`webVideo-1080`, `hls-720`, …),
    /// from its config when the package was made.
    public var expectedJobs: [String]?
    /// The jobs the runner answered from the package so far.
    public var answeredJobs: [String]?
    /// The package was made for this publication alone (`sluice publish`, under `STATE/packages/`)
    /// and goes once every expected job is answered; a watch folder's or an import's is the
    /// user's output and stays.
    public var removesPackage: Bool?

    public init(fingerprint: String, instance: String, channel: String, source: String, sourceSize: Int64, name: String) {
        self.fingerprint = fingerprint
        self.instance = instance
        self.channel = channel
        self.source = source
        self.sourceSize = sourceSize
        self.name = name
        step = .preparing
        updatedAt = Date()
    }

    /// The file under `STATE/publications/`: one per file and instance.
    public var key: String {
        let host = URLComponents(string: instance)?.host ?? "instance"
        let port = URLComponents(string: instance)?.port.map { "_\($0)" } ?? ""
        return "\(host)\(port)-\(fingerprint.prefix(32))"
    }
}
