import PeerTubeClient
import Transcoding

/// Jobs accepted together whose renditions an earlier pass made: what to post for each.
struct ReadyDelivery: Sendable {
    var batch: VideoBatch
    var made: [(job: RunnerJob, result: TranscodeResult)]

    func result(for job: RunnerJob) -> TranscodeResult? {
        made.first { $0.job.uuid == job.uuid }?.result
    }
}
