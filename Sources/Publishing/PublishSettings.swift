import Foundation
import Ladder

/// How publishing works: the encoder settings of the package, the upload's chunking and
/// patience, and how long to wait for the instance.
public struct PublishSettings: Sendable {
    public var pipeline: Pipeline
    public var chunkSize = 8 << 20
    /// Upload attempts without progress before the publication waits for a later run.
    public var attemptsWithoutProgress = 8
    public var firstRetryPause: Double = 1
    /// Seconds between looks at the video's state while waiting for it to be published.
    public var statePoll: Double = 2
    /// Seconds to wait for "published" before saying it is still transcoding.
    public var publishTimeout: Double = 3600
    /// Upload the package's top rung (a progressive MP4 at PeerTube's bitrate) instead of the
    /// original, which the instance then keeps as the video's source.
    public var uploadPrepared = false
    /// Keep a package `sluice publish` made once the runner answered every job from it.
    public var keepPackage = false

    public init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }
}
