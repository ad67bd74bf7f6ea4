import Foundation
import Hummingbird
import NIOCore

extension FakePeerTube {
    /// A live session as PeerTube queues it once the streamer is accepted and probed (§1.1): one
    /// pending job, priority 100, the RTMP URL with the stream key, the renditions in PeerTube's order.
    @discardableResult
    func addLive(rtmpURL: String, renditions: [(resolution: Int, fps: Int)], segmentDuration: Int = 4,
                 segmentListSize: Int = 15) -> FakeJob {
        var job = FakeJob(type: "live-rtmp-hls-transcoding", videoUUID: UUID().uuidString.lowercased(), resolution: 0, fps: 0,
                          state: .pending, priority: 100)
        let output: [String: Any] = ["toTranscode": renditions.map { ["resolution": $0.resolution, "fps": $0.fps] },
                                     "segmentDuration": segmentDuration, "segmentListSize": segmentListSize]
        job.livePayload = try? JSONSerialization.data(withJSONObject: ["input": ["rtmpUrl": rtmpURL], "output": output])
        let directory = uploads.appendingPathComponent("live-\(job.uuid)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return change { state in
            state.jobs.append(job)
            state.lives[job.uuid] = FakeLive(directory: directory, segmentListSize: segmentListSize)
            return job
        }
    }

    /// `/jobs/:uuid/update`: JSON (progress) for every job but a live, whose updates must be
    /// multipart with a chunk added or removed (§1.3); in PeerTube's validation order.
    func addUpdateRoute(_ runners: RouterGroup<BasicRequestContext>) {
        runners.post("jobs/:uuid/update") { request, context -> Response in
            let uuid = try context.parameters.require("uuid")
            let contentType = request.headers[.contentType] ?? ""
            let buffer = try await request.body.collect(upTo: 1 << 30)
            let data = Data(buffer.readableBytesView)
            let parts = contentType.hasPrefix("multipart/form-data") ? MultipartParser.parse(data, contentType: contentType) : nil
            var fields: [String: Any] = [:]
            if let parts {
                for part in parts where part.fileName == nil { fields[part.name] = String(decoding: part.data, as: UTF8.self) }
            } else {
                fields = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            }
            return self.change { state -> Response in
                guard let index = self.heldIndex(state, uuid: uuid, body: fields) else { return Self.problem(404, "Unknown runner job") }
                guard state.jobs[index].type == "live-rtmp-hls-transcoding" else { return Self.progressUpdate(&state, index: index, body: fields) }
                guard let parts else { return Self.problem(400, "Payload is invalid") }
                return Self.liveUpdate(&state, index: index, fields: fields, files: parts.filter { $0.fileName != nil })
            }
        }
    }

    static func progressUpdate(_ state: inout State, index: Int, body: [String: Any]) -> Response {
        if let progress = body["progress"] {
            guard let value = progress as? Int, (0...100).contains(value) else { return problem(400, "Incorrect request parameters: progress") }
            state.jobs[index].progress = value
        }
        state.jobs[index].updates += 1
        state.jobs[index].lastContact = Date()
        return Response(status: .noContent)
    }

    /// `isRunnerJobLiveRTMPHLSUpdatePayloadValid`, then `specificUpdate`: the chunk, then the
    /// playlist, then the master, each stored under its name.
    static func liveUpdate(_ state: inout State, index: Int, fields: [String: Any], files: [MultipartParser.Part]) -> Response {
        let uuid = state.jobs[index].uuid
        guard var live = state.lives[uuid] else { return problem(500, "no live") }
        let type = fields["payload[type]"] as? String
        let chunkName = fields["payload[videoChunkFilename]"] as? String ?? ""
        let playlistName = fields["payload[resolutionPlaylistFilename]"] as? String
        let file = { (field: String) in files.first { $0.name == field } }
        guard ["add-chunk", "remove-chunk"].contains(type), chunkName.range(of: #"^[a-z0-9-]+\.ts$"#, options: .regularExpression) != nil,
              (playlistName == nil) == (file("payload[resolutionPlaylistFile]") == nil),
              playlistName.map({ $0.range(of: #"^[a-z0-9-]+\.m3u8$"#, options: .regularExpression) != nil }) ?? true,
              type == "remove-chunk" || file("payload[videoChunkFile]") != nil,
              files.allSatisfy({ ["payload[videoChunkFile]", "payload[resolutionPlaylistFile]", "payload[masterPlaylistFile]"].contains($0.name) })
        else { return problem(400, "Payload is invalid") }
        if state.jobs[index].state != .processing { return Response(status: .noContent) }
        if type == "add-chunk", let chunk = file("payload[videoChunkFile]") {
            if chunkName.range(of: #"^\d-"#, options: .regularExpression) == nil { live.violations.append("\(chunkName): no variant digit") }
            if live.chunks[chunkName] != nil { live.violations.append("\(chunkName) sent twice") }
            let stored = live.directory.appendingPathComponent(chunkName)
            try? chunk.data.write(to: stored)
            live.chunks[chunkName] = FakeLive.Chunk(file: stored, receivedAt: Date())
            live.order.append(chunkName)
        } else {
            live.chunks[chunkName]?.removed = true
            try? FileManager.default.removeItem(at: live.directory.appendingPathComponent(chunkName))
        }
        if let playlistName, let playlist = file("payload[resolutionPlaylistFile]") {
            live.checkPlaylist(playlistName, String(decoding: playlist.data, as: UTF8.self))
        }
        if let master = file("payload[masterPlaylistFile]") { live.checkMaster(String(decoding: master.data, as: UTF8.self)) }
        state.lives[uuid] = live
        state.jobs[index].updates += 1
        state.jobs[index].lastContact = Date()
        return Response(status: .noContent)
    }
}
