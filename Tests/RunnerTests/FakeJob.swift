import Foundation

/// One runner job in the test instance, with the fields PeerTube's rules act on (runner-protocol.md §4-8).
struct FakeJob: Sendable {
    enum State: String, Sendable { case waiting, pending, processing, completed, errored, parentErrored, cancelled }

    var uuid = UUID().uuidString.lowercased()
    var type: String
    var videoUUID: String
    var resolution: Int
    var fps: Int
    var separatedAudio = false
    /// The input has no audio: the payload points at the video's separate audio file too.
    var separatedAudioInput = false
    var state: State
    var priority: Int
    var parent: String?
    var token: String?
    var runner: String?
    var failures = 0
    var progress: Int?
    var error: String?
    /// The message of the last `/error`, whatever the failure count.
    var lastMessage: String?
    var updates = 0
    var accepts = 0
    /// When the holding runner last accepted or updated it (PeerTube's `updatedAt`).
    var lastContact: Date?
    /// Times the stall watchdog took it back.
    var stalls = 0
    var acceptedAt: Date?
    /// When the job was queued (created, or released by its parent's completion).
    var createdAt = Date()
    var completedAt: Date?
    /// Field name to the uploaded file's local copy.
    var uploads: [String: URL] = [:]
    var uploadNames: [String: String] = [:]
    let created = Date()
    /// Live only: the whole payload as JSON.
    var livePayload: Data?
    /// Studio only: the tasks as JSON, each `file` the bare name of a task file.
    var studioTasks: Data?
    /// Studio only: the rung PeerTube queues once the edit is in (its new chain's optimize job).
    var chainAfterEdit: (resolution: Int, fps: Int)?

    /// `max-quality`, or `max-quality/audio` for resolution 0 (8.x).
    func inputURL(base: String) -> String {
        "\(base)/api/v1/runners/jobs/\(uuid)/files/videos/\(videoUUID)/max-quality" + (resolution == 0 ? "/audio" : "")
    }

    func payload(base: String) -> [String: Any] {
        if let livePayload, let payload = try? JSONSerialization.jsonObject(with: livePayload) as? [String: Any] { return payload }
        if type == "video-studio-transcoding" {
            let files = "\(base)/api/v1/runners/jobs/\(uuid)/files/videos/\(videoUUID)/studio/task-files/"
            let tasks = (studioTasks.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [[String: Any]] ?? []).map { task in
                var task = task
                if var options = task["options"] as? [String: Any], let name = options["file"] as? String {
                    options["file"] = files + name
                    task["options"] = options
                }
                return task
            }
            return ["input": ["videoFileUrl": inputURL(base: base), "separatedAudioFileUrl": [String]()], "tasks": tasks,
                    "output": [String: Any]()]
        }
        if type == "generate-video-storyboard" {
            // 192x108 sprites, 3x2 of them, one per second (lib/storyboard.ts gives these for a 6 s 16:9 video).
            return ["input": ["videoFileUrl": inputURL(base: base)],
                    "sprites": ["size": ["width": 192, "height": 108], "count": ["width": 3, "height": 2], "duration": 1],
                    "output": [String: Any]()]
        }
        if type == "vod-audio-merge-transcoding" {
            let files = "\(base)/api/v1/runners/jobs/\(uuid)/files/videos/\(videoUUID)"
            return ["input": ["audioFileUrl": files + "/max-quality/audio", "previewFileUrl": files + "/thumbnails/max-quality"],
                    "output": ["resolution": resolution, "fps": fps]]
        }
        var output: [String: Any] = ["resolution": resolution, "fps": fps]
        if type == "vod-hls-transcoding" { output["separatedAudio"] = separatedAudio }
        let audio = separatedAudioInput ? ["\(base)/api/v1/runners/jobs/\(uuid)/files/videos/\(videoUUID)/max-quality/audio"] : []
        return ["input": ["videoFileUrl": inputURL(base: base), "separatedAudioFileUrl": audio], "output": output]
    }
}
