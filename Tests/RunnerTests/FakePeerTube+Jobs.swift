import Foundation
import Hummingbird
import NIOCore

extension FakePeerTube {
    /// The jobs of one upload as PeerTube 8.2 queues them (§7): the optimize web video at the top
    /// resolution, then, released by its success, the HLS jobs (top, lower, and with split audio
    /// resolution 0) and the podcast audio web video. With web videos on, each lower HLS job
    /// waits for the web video of its resolution instead.
    @discardableResult
    func addUpload(_ source: URL, top: Int, fps: Int, lower: [(resolution: Int, fps: Int)], splitAudio: Bool = false,
                   webVideos: Bool = false, podcast: Bool = true, audioOnlyHLS: Bool = false, storyboard: Bool = false,
                   video: String = UUID().uuidString.lowercased()) -> String {
        change { state in
            state.videoFiles[video] = source
            if storyboard {
                // Made at upload, outside the transcoding chain, priority 95 (§5.4).
                state.jobs.append(FakeJob(type: "generate-video-storyboard", videoUUID: video, resolution: 0, fps: 0, state: .pending, priority: 95))
            }
            let parent = FakeJob(type: "vod-web-video-transcoding", videoUUID: video, resolution: top, fps: fps, state: .pending, priority: 100)
            state.jobs.append(parent)
            var children = [FakeJob(type: "vod-hls-transcoding", videoUUID: video, resolution: top, fps: fps, separatedAudio: splitAudio,
                                    state: .waiting, priority: 100, parent: parent.uuid)]
            if splitAudio {
                children.append(FakeJob(type: "vod-hls-transcoding", videoUUID: video, resolution: 0, fps: 0, separatedAudio: true,
                                        state: .waiting, priority: 100, parent: parent.uuid))
            }
            for rung in lower {
                var parentOfHLS = parent.uuid
                if webVideos {
                    let web = FakeJob(type: "vod-web-video-transcoding", videoUUID: video, resolution: rung.resolution, fps: rung.fps,
                                      state: .waiting, priority: 10000, parent: parent.uuid)
                    children.append(web)
                    parentOfHLS = web.uuid
                }
                children.append(FakeJob(type: "vod-hls-transcoding", videoUUID: video, resolution: rung.resolution, fps: rung.fps,
                                        separatedAudio: splitAudio, state: .waiting, priority: 10000, parent: parentOfHLS))
            }
            if podcast || audioOnlyHLS {
                let web = FakeJob(type: "vod-web-video-transcoding", videoUUID: video, resolution: 0, fps: 0, state: .waiting,
                                  priority: 10000, parent: parent.uuid)
                children.append(web)
                if audioOnlyHLS {
                    // 0p enabled without split audio: an audio-only HLS rendition after the web one.
                    children.append(FakeJob(type: "vod-hls-transcoding", videoUUID: video, resolution: 0, fps: 0, state: .waiting,
                                            priority: 10000, parent: web.uuid))
                }
            }
            state.jobs += children
            return video
        }
    }

    /// An audio upload (§5.3, §7): the audio merge at 480p 25 fps with the video's preview, then
    /// its HLS jobs and the podcast audio.
    @discardableResult
    func addAudioUpload(_ source: URL, preview: URL, lower: [Int]) -> String {
        let video = UUID().uuidString.lowercased()
        return change { state in
            state.videoFiles[video] = source
            state.previews[video] = preview
            let parent = FakeJob(type: "vod-audio-merge-transcoding", videoUUID: video, resolution: 480, fps: 25, state: .pending, priority: 100)
            state.jobs.append(parent)
            state.jobs.append(FakeJob(type: "vod-hls-transcoding", videoUUID: video, resolution: 480, fps: 25, state: .waiting,
                                      priority: 100, parent: parent.uuid))
            for resolution in lower {
                state.jobs.append(FakeJob(type: "vod-hls-transcoding", videoUUID: video, resolution: resolution, fps: 25,
                                          state: .waiting, priority: 10000, parent: parent.uuid))
            }
            state.jobs.append(FakeJob(type: "vod-web-video-transcoding", videoUUID: video, resolution: 0, fps: 0, state: .waiting,
                                      priority: 10000, parent: parent.uuid))
            return video
        }
    }

    /// HLS jobs whose input is the audio file itself, as a server other than PeerTube may queue
    /// them (PeerTube asks an audio merge first): each must be a video of the preview at the
    /// asked resolution and fps.
    @discardableResult
    func addAudioHLSJobs(_ source: URL, preview: URL?, rungs: [(resolution: Int, fps: Int)]) -> String {
        let video = UUID().uuidString.lowercased()
        return change { state in
            state.videoFiles[video] = source
            if let preview { state.previews[video] = preview }
            for rung in rungs {
                state.jobs.append(FakeJob(type: "vod-hls-transcoding", videoUUID: video, resolution: rung.resolution, fps: rung.fps,
                                          state: .pending, priority: 100))
            }
            return video
        }
    }

    /// Web videos asked for by an admin (§7, manual transcoding) of a video whose best file is a
    /// video-only HLS rung with its audio apart: all pending at once, each pointing at both files.
    @discardableResult
    func addManualWebVideos(video videoFile: URL, audio: URL, resolutions: [(resolution: Int, fps: Int)]) -> String {
        let video = UUID().uuidString.lowercased()
        return change { state in
            state.videoFiles[video] = videoFile
            state.audioFiles[video] = audio
            for rung in resolutions {
                state.jobs.append(FakeJob(type: "vod-web-video-transcoding", videoUUID: video, resolution: rung.resolution, fps: rung.fps,
                                          separatedAudioInput: true, state: .pending, priority: 10000))
            }
            return video
        }
    }

    /// The watchdog's and an admin's actions on a processing job: back to pending, token cleared.
    func resetToPending(_ uuid: String) {
        change { state in
            guard let index = state.jobs.firstIndex(where: { $0.uuid == uuid }) else { return }
            Self.takeBack(&state, index: index)
        }
    }

    static func takeBack(_ state: inout State, index: Int) {
        state.jobs[index].state = .pending
        state.jobs[index].token = nil
        state.jobs[index].runner = nil
        state.jobs[index].progress = nil
    }

    func addJobRoutes(_ runners: RouterGroup<BasicRequestContext>) {
        runners.post("jobs/request") { request, _ -> Response in
            let body = try await Self.json(request)
            let types = body["jobTypes"] as? [String]
            return self.change { state -> Response in
                guard let token = body["runnerToken"] as? String, state.runners[token] != nil else { return Self.unknownRunner() }
                state.requests += 1
                state.requestTimes.append(Date())
                let listed = state.jobs.enumerated().filter { $0.element.state == .pending }
                    .filter { self.ignoresJobTypes || types == nil || types?.contains($0.element.type) == true }
                    .sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }
                    .prefix(10)
                return Self.answer(["availableJobs": listed.map { ["uuid": $0.element.uuid, "type": $0.element.type,
                                                                  "payload": $0.element.payload(base: self.base)] }])
            }
        }
        runners.post("jobs/:uuid/accept") { request, context -> Response in
            let uuid = try context.parameters.require("uuid")
            let body = try await Self.json(request)
            return self.change { state -> Response in
                guard let index = state.jobs.firstIndex(where: { $0.uuid == uuid }) else { return Self.problem(404, "Unknown runner job") }
                guard state.jobs[index].state == .pending else { return Self.problem(400, "This runner job is not in pending state") }
                guard let runnerToken = body["runnerToken"] as? String, let runner = state.runners[runnerToken] else { return Self.unknownRunner() }
                let token = "ptrjt-\(UUID().uuidString.lowercased())"
                state.jobs[index].state = .processing
                state.jobs[index].token = token
                state.jobs[index].runner = runner.name
                state.jobs[index].accepts += 1
                state.jobs[index].lastContact = Date()
                state.jobs[index].acceptedAt = Date()
                return Self.answer(["job": ["uuid": uuid, "type": state.jobs[index].type, "jobToken": token,
                                            "payload": state.jobs[index].payload(base: self.base)]])
            }
        }
        addHeldJobRoutes(runners)
    }

    /// `jobOfRunnerGetValidatorFactory`: the job, its token and the runner's must match, else 404.
    func heldIndex(_ state: State, uuid: String, body: [String: Any]) -> Int? {
        guard let runnerToken = body["runnerToken"] as? String, let runner = state.runners[runnerToken],
              let jobToken = body["jobToken"] as? String,
              let index = state.jobs.firstIndex(where: { $0.uuid == uuid && $0.token == jobToken && $0.runner == runner.name }) else { return nil }
        return index
    }

    private func addHeldJobRoutes(_ runners: RouterGroup<BasicRequestContext>) {
        addUpdateRoute(runners)
        addHeldRoute(runners, "abort") { state, index, body in
            guard let reason = body["reason"] as? String, (1...5000).contains(reason.count) else {
                return Self.problem(400, "Incorrect request parameters: reason")
            }
            if state.jobs[index].type == "live-rtmp-hls-transcoding" {
                // A live cannot be aborted: PeerTube errors it at once and stops the streamer (§1.5).
                Self.fail(&state, index: index, message: "Job has been aborted but it is not supported by this job type")
            } else {
                Self.takeBack(&state, index: index)
            }
            return Response(status: .noContent)
        }
        addHeldRoute(runners, "error") { state, index, body in
            guard let message = body["message"] as? String, (1...5000).contains(message.count) else {
                return Self.problem(400, "Incorrect request parameters: message")
            }
            Self.fail(&state, index: index, message: message)
            return Response(status: .noContent)
        }
        addSuccessRoute(runners)
        addFileRoutes(runners)
    }

    /// `POST /jobs/:uuid/<action>` with a JSON body: 404 unless the job is held by the body's
    /// runner with the body's job token, else `handle` on the state.
    private func addHeldRoute(_ runners: RouterGroup<BasicRequestContext>, _ action: String,
                              handle: @escaping @Sendable (inout State, Int, [String: Any]) -> Response) {
        runners.post("jobs/:uuid/\(action)") { request, context -> Response in
            let uuid = try context.parameters.require("uuid")
            let body = try await Self.json(request)
            return self.change { state -> Response in
                guard let index = self.heldIndex(state, uuid: uuid, body: body) else { return Self.problem(404, "Unknown runner job") }
                return handle(&state, index, body)
            }
        }
    }

    /// `error()`: a failure counted; at 5 the job is errored and its dependants with it.
    static func fail(_ state: inout State, index: Int, message: String) {
        state.jobs[index].failures += 1
        state.jobs[index].lastMessage = message
        state.jobs[index].token = nil
        state.jobs[index].runner = nil
        // A live's error is final whatever the count (retries need abort support, §1.5).
        guard state.jobs[index].failures >= 5 || state.jobs[index].type == "live-rtmp-hls-transcoding" else {
            state.jobs[index].state = .pending
            return
        }
        state.jobs[index].state = .errored
        state.jobs[index].error = message
        let uuid = state.jobs[index].uuid
        for child in state.jobs.indices where state.jobs[child].parent == uuid {
            state.jobs[child].state = .parentErrored
        }
    }
}
