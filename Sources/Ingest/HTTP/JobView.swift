import Foundation
import Jobs
import Packaging

/// A job as the API and `sluice status --json` show it.
public struct JobView: Codable, Sendable, Equatable {
    public var id: Int64
    public var file: String
    public var state: String
    public var attempts: Int
    public var progress: Double
    public var speed: Double?
    public var eta: Double?
    public var currentRendition: String?
    public var reason: String?
    public var logTail: [String]?
    public var outputDirectory: String?
    public var duplicateOf: Int64?
    public var videoUUID: String
    public var source: String
    public var size: Int64
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// The video's page on the instance it was published to, and what the instance says of it.
    public var remoteURL: String?
    public var remoteState: String?

    public init(_ job: Job) {
        id = job.id ?? 0
        file = job.file
        state = job.state.rawValue
        attempts = job.attempts
        progress = (job.progress * 1000).rounded() / 10
        speed = job.speed
        eta = job.eta
        currentRendition = job.currentRendition
        reason = job.reason
        logTail = job.logTail.map { $0.split(separator: "\n").map(String.init) }
        outputDirectory = job.outputDirectory
        duplicateOf = job.duplicateOf
        videoUUID = job.videoUUID
        source = job.sourcePath
        size = job.size
        nextAttemptAt = job.nextAttemptAt
        createdAt = job.createdAt
        updatedAt = job.updatedAt
        finishedAt = job.finishedAt
        remoteURL = job.remoteURL
        remoteState = job.remoteState
    }

    public static func encoder() -> JSONEncoder {
        JSONEncoder.readable()
    }
}
