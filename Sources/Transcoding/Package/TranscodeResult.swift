import Foundation
import Packaging

/// A published package: where it is and what it holds (`sluice transcode --json`).
public struct TranscodeResult: Sendable, Codable, Equatable {
    /// Absolute path of the video folder.
    public var directory: String
    /// Absolute path of the master playlist.
    public var master: String
    public var videoUUID: String
    public var duration: Double
    /// Wall-clock seconds the transcode took.
    public var elapsed: Double
    /// Media seconds per wall second.
    public var speed: Double
    public var renditions: [PackageManifest.Rendition]

    public init(directory: String, master: String, videoUUID: String, duration: Double, elapsed: Double, speed: Double,
                renditions: [PackageManifest.Rendition]) {
        self.directory = directory
        self.master = master
        self.videoUUID = videoUUID
        self.duration = duration
        self.elapsed = elapsed
        self.speed = speed
        self.renditions = renditions
    }
}
