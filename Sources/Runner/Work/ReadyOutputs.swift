import Foundation
import Transcoding

/// Renditions made ahead in an optimize job's pass, kept until the jobs the instance queues after
/// it appear (or for `lifetime`), so those jobs are posted without another download or decode.
final class ReadyOutputs: @unchecked Sendable {
    struct Entry: Sendable {
        var instance: String
        var videoUUID: String
        var result: TranscodeResult
        var folder: URL
        var expires: Date
    }

    static let lifetime: TimeInterval = 1800
    private let entries = LockedValue<[Entry]>([])

    func store(instance: String, videoUUID: String, result: TranscodeResult, folder: URL) {
        entries.update { $0.append(Entry(instance: instance, videoUUID: videoUUID, result: result, folder: folder,
                                         expires: Date().addingTimeInterval(Self.lifetime))) }
    }

    /// The pass that made a rendition for `job`: same instance and video, muxed audio (a split
    /// audio job needs other files), the job's resolution and frame rate.
    func result(for job: RunnerJob, instance: String) -> TranscodeResult? {
        guard !VideoBatch.needsSplit(job) else { return nil }
        return entries.value.first { entry in
            entry.instance == instance && entry.videoUUID == job.videoUUID
                && entry.result.renditions.contains { $0.resolution == job.resolution && (job.resolution == 0 || $0.fps == job.fps) }
        }?.result
    }

    /// Drops entries past their time (`now`), or all of them, with their files.
    func expire(all: Bool = false, now: Date = Date()) {
        let gone = entries.update { entries -> [Entry] in
            let (kept, gone) = (entries.filter { !all && $0.expires > now }, entries.filter { all || $0.expires <= now })
            entries = kept
            return gone
        }
        for entry in gone { try? FileManager.default.removeItem(at: entry.folder) }
    }
}
