import Foundation
import PeerTubeClient
import Jobs
import Ladder
import Transcoding

/// How `sluice runner serve` works: which jobs it takes, how many videos at once, how it
/// encodes, and how often it speaks to the instances.
public struct RunnerConfiguration: Sendable {
    /// The runner's state folder: registrations, held jobs, work files.
    public var state: URL
    /// Videos processed at once (each one pass, all its jobs).
    public var concurrency = 1
    /// Job types asked for (`jobTypes`) and, for 6.3 servers that ignore it, filtered here.
    public var jobTypes: [RunnerJob.Kind] = RunnerJob.Kind.allCases
    /// Encoder settings (x264 options, copy gate, segment lengths); the rungs come from the jobs.
    public var pipeline: Pipeline
    public var inputLimits: InputLimits = .none
    /// Seconds between `/jobs/request` polls while idle.
    public var pollInterval: TimeInterval = 5
    /// Listens to each instance's socket.io notifications (`available-jobs`) to ask for jobs at
    /// once; polling stays the fallback.
    public var notifications = true
    /// Seconds without taking jobs after the machine failed one (a full disk), so that a runner
    /// that cannot work does not take and give back every job of the instance in a loop.
    public var machineFaultPause: TimeInterval = 60
    /// Seconds a pass may make no progress before it is ended and its jobs reported failed (a
    /// hang inside FFmpeg would otherwise hold them forever, kept alive by `/update`).
    public var stallTimeout: TimeInterval = 120
    /// Seconds a live's RTMP stream may send nothing before the live fails as stalled (PeerTube
    /// itself ends a live job not updated for 30 s).
    public var liveReadTimeout: TimeInterval = 10
    /// Seconds between `/update`s of a held job: well under PeerTube's 2-minute stall limit.
    public var heartbeat: TimeInterval = 20

    public init(state: URL, pipeline: Pipeline) {
        self.state = state
        self.pipeline = pipeline
    }

    var workFolder: URL { state.appendingPathComponent("runner", isDirectory: true).appendingPathComponent("work", isDirectory: true) }
}
