import Foundation
import Transcoding

/// Renditions made ahead in an optimize job's pass, kept until the jobs the instance queues after
/// it appear (or for `lifetime`), so those jobs are posted without another download or decode.
final class ReadyOutputs: @unchecked Sendable {
    struct Entry: Sendable {
        var instance: String
        var videoUUID: String
        var result: TranscodeResult
        /// The pass made video-only rungs and an audio rendition.
        var splitAudio: Bool
        var folder: URL
        var expires: Date
    }

    static let lifetime: TimeInterval = 1800
    private let entries = LockedValue<[Entry]>([])

    var isEmpty: Bool { entries.value.isEmpty }

    func store(instance: String, videoUUID: String, result: TranscodeResult, splitAudio: Bool, folder: URL) {
        entries.update { $0.append(Entry(instance: instance, videoUUID: videoUUID, result: result, splitAudio: splitAudio, folder: folder,
                                         expires: Date().addingTimeInterval(Self.lifetime))) }
    }

    /// The pass that made a rendition for `job`: same instance and video, the job's resolution
    /// and frame rate, and for an HLS video job the same audio layout (a web video is joined from
    /// split renditions when needed; the audio-only rendition is the same either way).
    func result(for job: RunnerJob, instance: String) -> TranscodeResult? {
        entries.value.first { entry in
            entry.instance == instance && entry.videoUUID == job.videoUUID
                && (job.kind != .hls || job.resolution == 0 || job.separatedAudio == entry.splitAudio)
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
