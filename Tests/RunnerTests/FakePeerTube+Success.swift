import Foundation
import Hummingbird
import NIOCore

extension FakePeerTube {
    /// The file fields `/success` accepts per type (§5); any other file field is a Multer error (500).
    static let successFiles: [String: [String]] = [
        "vod-web-video-transcoding": ["payload[videoFile]"],
        "vod-hls-transcoding": ["payload[videoFile]", "payload[resolutionPlaylistFile]"],
        "vod-audio-merge-transcoding": ["payload[videoFile]"],
        "generate-video-storyboard": ["payload[storyboardFile]"],
        "video-studio-transcoding": ["payload[videoFile]"],
        "live-rtmp-hls-transcoding": [],
    ]

    func addSuccessRoute(_ runners: RouterGroup<BasicRequestContext>) {
        runners.post("jobs/:uuid/success") { request, context -> Response in
            let uuid = try context.parameters.require("uuid")
            let buffer = try await request.body.collect(upTo: 1 << 30)
            guard let contentType = request.headers[.contentType], contentType.hasPrefix("multipart/form-data"),
                  let parts = MultipartParser.parse(Data(buffer.readableBytesView), contentType: contentType) else {
                return Self.problem(400, "Incorrect request parameters: runnerToken")
            }
            var fields: [String: Any] = [:]
            for part in parts where part.fileName == nil { fields[part.name] = String(decoding: part.data, as: UTF8.self) }
            if self.successDelay > .zero { try await Task.sleep(for: self.successDelay) }
            let files = parts.filter { $0.fileName != nil }
            let saved = files.map { part -> (String, URL, String) in
                let url = self.uploads.appendingPathComponent(UUID().uuidString)
                FileManager.default.createFile(atPath: url.path, contents: part.data)
                return (part.name, url, part.fileName ?? "")
            }
            return self.change { state -> Response in
                guard let index = self.heldIndex(state, uuid: uuid, body: fields) else { return Self.problem(404, "Unknown runner job") }
                guard state.jobs[index].state == .processing else {
                    return Self.problem(400, "Job is not in processing state", code: "runner_job_not_in_processing_state")
                }
                let wanted = Self.successFiles[state.jobs[index].type] ?? []
                if state.jobs[index].type == "live-rtmp-hls-transcoding" {
                    // `/success` of a live takes no payload at all (§1.5).
                    guard !fields.keys.contains(where: { $0.hasPrefix("payload") }) else { return Self.problem(400, "Payload is invalid") }
                    state.lives[uuid]?.successAt = Date()
                }
                if saved.contains(where: { !wanted.contains($0.0) }) {
                    return Self.problem(500, "Unexpected field", code: "MulterError")
                }
                guard Set(saved.map(\.0)) == Set(wanted), saved.allSatisfy({ !$0.2.isEmpty }) else {
                    return Self.problem(400, "Payload is invalid")
                }
                Self.complete(&state, index: index, files: saved)
                return Response(status: .noContent)
            }
        }
    }

    /// COMPLETED, children released; an optimize result becomes what `max-quality` serves.
    static func complete(_ state: inout State, index: Int, files: [(String, URL, String)]) {
        state.jobs[index].state = .completed
        state.jobs[index].completedAt = Date()
        state.jobs[index].progress = nil
        for (field, url, name) in files {
            state.jobs[index].uploads[field] = url
            state.jobs[index].uploadNames[field] = name
        }
        let job = state.jobs[index]
        if job.type == "video-studio-transcoding", let file = files.first?.1 { completeStudio(&state, job: job, file: file) }
        if ["vod-web-video-transcoding", "vod-audio-merge-transcoding"].contains(job.type), job.resolution > 0, let file = files.first?.1 {
            state.videoFiles[job.videoUUID] = file
        }
        for child in state.jobs.indices where state.jobs[child].parent == job.uuid && state.jobs[child].state == .waiting {
            state.jobs[child].state = .pending
            state.jobs[child].createdAt = Date()
        }
    }

    func addFileRoutes(_ runners: RouterGroup<BasicRequestContext>) {
        addFileRoute(runners, "thumbnails/max-quality", contentType: "image/jpeg") { $0.previews[$1] }
        addFileRoute(runners, "max-quality", contentType: "video/mp4", countsDownload: true) { $0.videoFiles[$1] }
        addFileRoute(runners, "max-quality/audio", contentType: "video/mp4", countsDownload: true) { $0.audioFiles[$1] ?? $0.videoFiles[$1] }
        addTaskFileRoute(runners)
    }

    /// `POST …/files/videos/:video/<suffix>` (§4.5): the held job's tokens, and the job's own video.
    private func addFileRoute(_ runners: RouterGroup<BasicRequestContext>, _ suffix: String, contentType: String,
                              countsDownload: Bool = false, file pick: @escaping @Sendable (State, String) -> URL?) {
        runners.post("jobs/:uuid/files/videos/:video/\(suffix)") { request, context -> Response in
            let uuid = try context.parameters.require("uuid")
            let video = try context.parameters.require("video")
            let body = try await Self.json(request)
            let state = self.snapshot
            guard let index = self.heldIndex(state, uuid: uuid, body: body), state.jobs[index].videoUUID == video,
                  let file = pick(state, video), let data = try? Data(contentsOf: file) else {
                return Self.problem(404, "Unknown runner job")
            }
            if countsDownload { self.change { $0.downloads[video, default: 0] += 1 } }
            return Response(status: .ok, headers: [.contentType: "\(contentType)"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
