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
    /// Jobs a pass under way will make (the rest of a ladder whose publishing part went first):
    /// not to be taken as new work meanwhile, by instance and video.
    private let promised = LockedValue<[String: [LadderPrediction.Expected]]>([:])

    var isEmpty: Bool { entries.value.isEmpty }

    func store(instance: String, videoUUID: String, result: TranscodeResult, splitAudio: Bool,
               awaiting: [LadderPrediction.Expected], folder: URL) {
        entries.update { $0.append(Entry(instance: instance, videoUUID: videoUUID, result: result, splitAudio: splitAudio,
                                         awaited: awaiting, folder: folder, expires: Date().addingTimeInterval(Self.lifetime))) }
        // What this pass made is no longer only promised; what a later pass makes still is.
        promised.update { promised in
            let key = Self.key(instance, videoUUID)
            promised[key] = promised[key]?.filter { !awaiting.contains($0) }
            if promised[key]?.isEmpty == true { promised[key] = nil }
        }
    }

    /// A pass under way will make these jobs of the video; until it stores them (or gives up:
    /// ``forget(instance:videoUUID:)``) they are not taken as new work.
    func promise(instance: String, videoUUID: String, jobs: [LadderPrediction.Expected]) {
        promised.update { $0[Self.key(instance, videoUUID)] = jobs }
    }

    func forget(instance: String, videoUUID: String) {
        promised.update { $0[Self.key(instance, videoUUID)] = nil }
    }

    /// Whether a pass under way will make `job`.
    func isPromised(_ job: RunnerJob, instance: String) -> Bool {
        (promised.value[Self.key(instance, job.videoUUID)] ?? []).contains { Self.matches($0, job) }
    }

    private static func key(_ instance: String, _ videoUUID: String) -> String { instance + " " + videoUUID }

    private static func matches(_ expected: LadderPrediction.Expected, _ job: RunnerJob) -> Bool {
        expected.kind == job.kind && expected.resolution == job.resolution && (job.resolution == 0 || expected.fps == job.fps)
    }

    /// `job`'s result was posted: once every job an entry awaited has been, its files go at once
    /// (and the video's work folder, when that was the last of its passes).
    func delivered(_ job: RunnerJob, instance: String) {
        let done = entries.update { entries -> [Entry] in
            guard let index = entries.firstIndex(where: { entry in
                entry.instance == instance && entry.videoUUID == job.videoUUID && entry.awaited.contains { Self.matches($0, job) }
            }) else { return [] }
            entries[index].awaited.removeAll { Self.matches($0, job) }
            return entries[index].awaited.isEmpty ? [entries.remove(at: index)] : []
        }
        for entry in done { Self.remove(entry.folder) }
    }

    /// Removes a pass's folder, and its parent once nothing else is left in it.
    private static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
        let parent = folder.deletingLastPathComponent()
        if (try? FileManager.default.contentsOfDirectory(atPath: parent.path))?.isEmpty == true { rmdir(parent.path) }
    }

    /// The pass that made a rendition for `job`: same instance and video, the job's resolution
    /// and frame rate, and for an HLS video job the same audio layout (a web video is joined from
    /// split renditions when needed; the audio-only rendition is the same either way).
    /// The entry that awaits the job comes first.
    func result(for job: RunnerJob, instance: String) -> TranscodeResult? {
        // A job the pass under way will make is served by that pass, even if an earlier one has
        // a rendition for it: the earlier pass's files go once the jobs it awaited are posted.
        if isPromised(job, instance: instance) { return nil }
        let serving = entries.value.filter { entry in
            entry.instance == instance && entry.videoUUID == job.videoUUID
                && (job.kind != .hls || job.resolution == 0 || job.separatedAudio == entry.splitAudio)
                && entry.result.renditions.contains { $0.resolution == job.resolution && (job.resolution == 0 || $0.fps == job.fps) }
        }
        return (serving.first { $0.awaited.contains { Self.matches($0, job) } } ?? serving.first)?.result
    }

    /// Drops entries past their time (`now`), or all of them, with their files.
    func expire(all: Bool = false, now: Date = Date()) {
        let gone = entries.update { entries -> [Entry] in
            let (kept, gone) = (entries.filter { !all && $0.expires > now }, entries.filter { all || $0.expires <= now })
            entries = kept
            return gone
        }
        for entry in gone { Self.remove(entry.folder) }
    }
}
