import Foundation
import Hummingbird
import NIOCore

extension FakePeerTube {
    /// A studio edit as `POST /api/v1/videos/:id/studio/edit` queues it (runner-live-and-studio.md
    /// §2.1): one pending job, priority 150, the task files kept under names `<uuid><ext>`. `tasks`
    /// name their files by keys of `files`. With `chain`, the edit's success queues the new
    /// transcoding chain's optimize job and top HLS rung, as PeerTube does.
    @discardableResult
    func addStudioEdit(_ source: URL, tasks: [[String: Any]], files: [String: URL] = [:],
                       chain: (resolution: Int, fps: Int)? = nil) -> FakeJob {
        let video = UUID().uuidString.lowercased()
        var stored: [String: URL] = [:]
        let renamed = tasks.map { task -> [String: Any] in
            var task = task
            guard var options = task["options"] as? [String: Any], let key = options["file"] as? String, let file = files[key] else { return task }
            let name = UUID().uuidString.lowercased() + "." + file.pathExtension.lowercased()
            stored[name] = file
            options["file"] = name
            task["options"] = options
            return task
        }
        var job = FakeJob(type: "video-studio-transcoding", videoUUID: video, resolution: 0, fps: 0, state: .pending, priority: 150)
        job.studioTasks = try? JSONSerialization.data(withJSONObject: renamed)
        job.chainAfterEdit = chain
        return change { state in
            state.videoFiles[video] = source
            state.taskFiles.merge(stored) { $1 }
            state.jobs.append(job)
            return job
        }
    }

    /// The edit is the video's only file now; PeerTube then builds a new transcoding chain for it.
    static func completeStudio(_ state: inout State, job: FakeJob, file: URL) {
        state.videoFiles[job.videoUUID] = file
        guard let chain = job.chainAfterEdit else { return }
        let optimize = FakeJob(type: "vod-web-video-transcoding", videoUUID: job.videoUUID, resolution: chain.resolution, fps: chain.fps,
                               state: .pending, priority: 100)
        state.jobs.append(optimize)
        state.jobs.append(FakeJob(type: "vod-hls-transcoding", videoUUID: job.videoUUID, resolution: chain.resolution, fps: chain.fps,
                                  state: .waiting, priority: 100, parent: optimize.uuid))
    }

    /// `POST …/files/videos/:video/studio/task-files/:name` (§2.1): tokens, the job's video, a
    /// well-formed name, a name of this job's tasks; in that order, with PeerTube's statuses.
    func addTaskFileRoute(_ runners: RouterGroup<BasicRequestContext>) {
        runners.post("jobs/:uuid/files/videos/:video/studio/task-files/:name") { request, context -> Response in
            let uuid = try context.parameters.require("uuid")
            let video = try context.parameters.require("video")
            let name = try context.parameters.require("name")
            let body = try await Self.json(request)
            let state = self.snapshot
            guard let index = self.heldIndex(state, uuid: uuid, body: body) else { return Self.problem(404, "Unknown runner job") }
            guard state.jobs[index].videoUUID == video else { return Self.problem(403, "Job is not associated to this video") }
            guard name.range(of: #"^[a-z0-9-]+\.[a-z0-9]{1,8}$"#, options: .regularExpression) != nil else {
                return Self.problem(400, "Incorrect request parameters: filename")
            }
            let tasks = String(decoding: state.jobs[index].studioTasks ?? Data(), as: UTF8.self)
            guard tasks.contains("\"\(name)\""), let file = state.taskFiles[name], let data = try? Data(contentsOf: file) else {
                return Self.problem(400, "File is not associated to this edition task")
            }
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
