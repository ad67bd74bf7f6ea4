import Foundation
import PeerTubeClient
import Transcoding

/// Renditions made ahead in an optimize job's pass, kept until every job the instance was
/// expected to queue after it has been posted (or for `lifetime`, when another runner took some),
/// so those jobs are posted without another download or decode.
final class ReadyOutputs: @unchecked Sendable {
    struct Entry: Sendable {
        var instance: String
        var videoUUID: String
        var result: TranscodeResult
        /// The pass made video-only rungs and an audio rendition.
        var splitAudio: Bool
        /// The predicted jobs not posted yet.
        var awaited: [LadderPrediction.Expected]
        var folder: URL
        var expires: Date
    }

    static let lifetime: TimeInterval = 1800
    private let entries = LockedValue<[Entry]>([])

    var isEmpty: Bool { entries.value.isEmpty }

    func store(instance: String, videoUUID: String, result: TranscodeResult, splitAudio: Bool,
               awaiting: [LadderPrediction.Expected], folder: URL) {
        entries.update { $0.append(Entry(instance: instance, videoUUID: videoUUID, result: result, splitAudio: splitAudio,
                                         awaited: awaiting, folder: folder, expires: Date().addingTimeInterval(Self.lifetime))) }
    }

    /// `job`'s result was posted: once every awaited job has been, the files go at once.
    func delivered(_ job: RunnerJob, instance: String) {
        let done = entries.update { entries -> [Entry] in
            guard let index = entries.firstIndex(where: { $0.instance == instance && $0.videoUUID == job.videoUUID }) else { return [] }
            entries[index].awaited.removeAll { expected in
                expected.kind == job.kind && expected.resolution == job.resolution && (job.resolution == 0 || expected.fps == job.fps)
            }
            return entries[index].awaited.isEmpty ? [entries.remove(at: index)] : []
        }
        for entry in done { try? FileManager.default.removeItem(at: entry.folder) }
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
