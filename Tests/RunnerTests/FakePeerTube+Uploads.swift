import Crypto
import Foundation
import HTTPTypes
import LibAV
import Hummingbird
import NIOCore

extension FakePeerTube {
    /// The resumable upload (uploadx, §3.2): init (201/200 + Location), chunks (308 + Range),
    /// offset query, the final chunk that makes the video and its job chain, cancel.
    func addUploadRoutes(_ router: Router<BasicRequestContext>) {
        let path = "api/v1/videos/upload-resumable"
        router.post(RouterPath(path)) { request, _ -> Response in
            let body = try await Self.json(request)
            let size = request.headers[HTTPField.Name("X-Upload-Content-Length")!].flatMap { Int64($0) }
            let type = request.headers[HTTPField.Name("X-Upload-Content-Type")!]
            return self.authorized(request) { user, state in self.startUpload(user: user, body: body, size: size, type: type, state: &state) }
        }
        router.put(RouterPath(path)) { request, _ -> Response in
            let id = request.uri.queryParameters.get("upload_id") ?? ""
            let range = request.headers[HTTPField.Name("Content-Range")!] ?? ""
            let bytes = try await request.body.collect(upTo: 64 << 20)
            return self.authorized(request) { user, state in self.chunk(id: id, user: user, range: range, bytes: bytes, state: &state) }
        }
        router.delete(RouterPath(path)) { request, _ -> Response in
            let id = request.uri.queryParameters.get("upload_id") ?? ""
            return self.authorized(request) { _, state in
                if let upload = state.accounts.uploads.removeValue(forKey: id) { try? FileManager.default.removeItem(at: upload.file) }
                return Response(status: .noContent)
            }
        }
    }

    private func startUpload(user: String, body: [String: Any], size: Int64?, type: String?, state: inout State) -> Response {
        guard let filename = body["filename"] as? String, let size, type != nil else {
            return Self.problem(400, "Incorrect request parameters: filename")
        }
        let name = (body["name"] as? String ?? "").trimmingCharacters(in: .whitespaces)
        guard (3...120).contains(name.count) else { return Self.problem(400, "Incorrect request parameters: name") }
        if let tags = body["tags"] as? [String], tags.count > 5 || tags.contains(where: { !(2...30).contains($0.count) }) {
            return Self.problem(400, "Incorrect request parameters: tags")
        }
        guard let channelID = (body["channelId"] as? NSNumber)?.intValue,
              state.accounts.channels.values.contains(where: { $0.id == channelID }) else { return Self.problem(404, "Video channel not found") }
        if state.accounts.quota >= 0 && state.accounts.used(by: user) + size >= state.accounts.quota {
            return Self.problem(413, "The user video quota is exceeded", code: "quota_reached")
        }
        let lastModified = (body["lastModified"] as? NSNumber).map { "\($0)" } ?? "\(Date().timeIntervalSince1970)"
        let id = SHA256.hash(data: Data("\(user)|\(name)|\(size)|\(lastModified)".utf8)).map { String(format: "%02x", $0) }.joined().prefix(32)
        let location = [(Self.locationHeader, "//127.0.0.1/api/v1/videos/upload-resumable?upload_id=\(id)")]
        var fields = body.compactMapValues { value -> String? in value is [Any] ? nil : "\(value)" }
        fields["tags"] = (body["tags"] as? [String])?.joined(separator: ",")
        if var existing = state.accounts.uploads[String(id)] {
            existing.fields = fields
            state.accounts.uploads[String(id)] = existing
            return Self.headers(existing.written > 0 ? 200 : 201, location + (existing.written > 0 ? [(Self.rangeHeader, "bytes=0-\(existing.written - 1)")] : []))
        }
        let file = uploads.appendingPathComponent("upload-\(id)")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        state.accounts.uploads[String(id)] = FakeAccounts.Upload(user: user, size: size, fields: fields, file: file)
        _ = filename
        return Self.headers(201, location)
    }

    private func chunk(id: String, user: String, range: String, bytes: ByteBuffer, state: inout State) -> Response {
        state.accounts.chunkRequests += 1
        guard var upload = state.accounts.uploads[id] else { return Self.answer(["error": ["code": "FileNotFound", "message": "Not found"]], status: 404) }
        guard upload.user == user else { return Self.answer(["error": ["code": "Forbidden", "message": "Forbidden"]], status: 403) }
        let spec = range.replacingOccurrences(of: "bytes ", with: "")
        if !spec.hasPrefix("*") {
            guard let start = spec.split(separator: "-").first.flatMap({ Int64($0) }) else { return Self.problem(400, "Content-Range") }
            if state.accounts.failingChunks > 0 {
                state.accounts.failingChunks -= 1
                return Self.problem(500, "Internal Server Error")
            }
            var data = Data(bytes.readableBytesView)
            let cut = state.accounts.cutChunks > 0
            if cut {
                state.accounts.cutChunks -= 1
                data = data.prefix(data.count / 2)
            }
            guard start + Int64(data.count) <= upload.size else { return Self.answer(["error": ["code": "FileConflict"]], status: 409) }
            if let handle = try? FileHandle(forWritingTo: upload.file) {
                try? handle.seek(toOffset: UInt64(start))
                try? handle.write(contentsOf: data)
                try? handle.close()
            }
            upload.written = max(upload.written, start + Int64(data.count))
            state.accounts.uploads[id] = upload
            if cut { return Self.problem(500, "the connection was cut") }
        }
        guard upload.written >= upload.size else {
            return Self.headers(308, [(Self.rangeHeader, "bytes=0-\(upload.written - 1)")])
        }
        let video = finish(id: id, upload: upload, state: &state)
        if state.accounts.losesFinalAnswer {
            state.accounts.losesFinalAnswer = false
            return Self.problem(500, "the answer was lost")
        }
        return Self.answer(["video": ["id": video.id, "uuid": video.uuid, "shortUUID": video.shortUUID]])
    }

    /// The video, then its job chain (PeerTube queues it after its local post-upload jobs).
    private func finish(id: String, upload: FakeAccounts.Upload, state: inout State) -> FakeAccounts.Video {
        state.accounts.uploads[id] = nil
        let uuid = UUID().uuidString.lowercased()
        let video = FakeAccounts.Video(id: state.accounts.videos.count + 1, uuid: uuid, shortUUID: String(uuid.prefix(8)), user: upload.user,
                                       channelID: Int(upload.fields["channelId"] ?? "") ?? 0, fields: upload.fields,
                                       tags: upload.fields["tags"]?.split(separator: ",").map(String.init) ?? [],
                                       inputFilename: upload.fields["filename"] ?? "", size: upload.size, createdAt: Date(), file: upload.file)
        state.accounts.videos.append(video)
        state.videoFiles[uuid] = upload.file
        if let chain = state.accounts.chains[video.inputFilename] ?? state.accounts.chain {
            // An audio file is merged with the video's preview first (§7).
            let audio = ["mp3", "m4a", "flac", "wav"].contains(URL(fileURLWithPath: video.inputFilename).pathExtension)
            let parent = FakeJob(type: audio ? "vod-audio-merge-transcoding" : "vod-web-video-transcoding", videoUUID: uuid,
                                 resolution: chain.top, fps: chain.fps, state: .pending, priority: 100)
            state.jobs.append(parent)
            state.jobs.append(FakeJob(type: "vod-hls-transcoding", videoUUID: uuid, resolution: chain.top, fps: chain.fps, state: .waiting,
                                      priority: 100, parent: parent.uuid))
            for rung in chain.lower {
                state.jobs.append(FakeJob(type: "vod-hls-transcoding", videoUUID: uuid, resolution: rung.resolution, fps: rung.fps,
                                          state: .waiting, priority: 10000, parent: parent.uuid))
            }
            // The podcast audio only for an upload with audio (computeResolutionsToTranscode skips 0 without).
            if (try? Demuxer(path: upload.file.path).streams.contains { $0.kind == .audio }) == true {
                state.jobs.append(FakeJob(type: "vod-web-video-transcoding", videoUUID: uuid, resolution: 0, fps: 0, state: .waiting,
                                          priority: 10000, parent: parent.uuid))
            }
        }
        return video
    }

    static func headers(_ status: Int, _ fields: [(HTTPField.Name, String)]) -> Response {
        var headers = HTTPFields()
        for (name, value) in fields { headers[name] = value }
        return Response(status: .init(code: status), headers: headers)
    }
}
