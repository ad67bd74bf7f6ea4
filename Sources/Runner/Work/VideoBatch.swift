import PeerTubeClient
import Ladder

/// Jobs of one video made together from one download and one decode: the same source, the
/// same audio layout (all muxed, or all split), each job one output of the pass.
public struct VideoBatch: Sendable {
    public struct Member: Sendable {
        public var job: RunnerJob
        public var held: HeldJob
    }

    public var videoUUID: String
    /// Split audio: video-only renditions and a resolution-0 audio rendition.
    public var splitAudio: Bool
    public var members: [Member]

    /// Whether a job's outputs need split audio (HLS video-only rungs and the HLS audio rung).
    public static func needsSplit(_ job: RunnerJob) -> Bool {
        job.kind == .hls && (job.separatedAudio || job.resolution == 0)
    }

    /// Groups listed jobs by video and audio layout, in the order the instance listed them. A
    /// studio job is a batch of its own (it edits the video the others would transcode), and so is a live.
    public static func group(_ jobs: [RunnerJob]) -> [(key: String, split: Bool, jobs: [RunnerJob])] {
        var groups: [(key: String, split: Bool, jobs: [RunnerJob])] = []
        for job in jobs {
            let split = needsSplit(job)
            if job.kind == .studio || job.kind == .live {
                groups.append((job.videoUUID, false, [job]))
            } else if let index = groups.firstIndex(where: { $0.key == job.videoUUID && $0.split == split && ![.studio, .live].contains($0.jobs.first?.kind) }) {
                groups[index].jobs.append(job)
            } else {
                groups.append((job.videoUUID, split, [job]))
            }
        }
        return groups
    }

    /// What the pass makes: each distinct resolution and frame rate once (the optimize web video
    /// and the top HLS rung are one encode), resolution 0 for the audio-only outputs.
    public var requestedRenditions: [RenditionRequest] {
        var seen: [RenditionRequest] = []
        for member in members where member.job.kind != .storyboard {
            let request = RenditionRequest(resolution: member.job.resolution, fps: member.job.resolution == 0 ? 0 : member.job.fps)
            if !seen.contains(request) { seen.append(request) }
        }
        return seen
    }

    /// The studio job, when this batch is one.
    public var studioMember: Member? {
        members.count == 1 && members[0].job.kind == .studio ? members[0] : nil
    }

    /// The live job, when this batch is one.
    public var liveMember: Member? {
        members.count == 1 && members[0].job.kind == .live ? members[0] : nil
    }

    /// The sheet a storyboard member asks for (every sprite of its grid, filled while the video lasts).
    public var storyboard: RunnerJob.Sprites? {
        members.lazy.compactMap(\.job.sprites).first
    }

    /// The download that serves every member: a job whose input has the video (resolution-0
    /// jobs of 8.x read `/max-quality/audio`).
    public var inputMember: Member? {
        members.first { $0.job.resolution > 0 || $0.job.kind == .storyboard } ?? members.first
    }
}
