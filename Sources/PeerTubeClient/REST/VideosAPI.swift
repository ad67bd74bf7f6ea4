import Foundation

/// The REST calls that publish a video (peertube-upload-api.md §2-6): the channel, the
/// resumable upload's four requests, the video's state, the search that finds an upload whose
/// answer was lost, and the thumbnail.
public struct VideosAPI: Sendable {
    public let session: UserSession
    static let resumable = "/api/v1/videos/upload-resumable"

    public init(session: UserSession) {
        self.session = session
    }

    /// The numeric id of a channel (`name` or `name@host`); the upload takes the id, not the name.
    public func channelID(_ handle: String) async throws -> Int {
        let answer = try await session.send(.GET, "/api/v1/video-channels/\(Self.pathComponent(handle))")
        guard answer.isSuccess, let id = (answer.json?["id"] as? NSNumber)?.intValue else {
            throw InstanceError.from(status: answer.status, body: answer.body, context: "channel \(handle)")
        }
        return id
    }

    /// The account's own name (its default channel is `<username>_channel`).
    public func me() async throws -> [String: Any] {
        let answer = try await session.send(.GET, "/api/v1/users/me")
        guard answer.isSuccess, let json = answer.json else { throw InstanceError.from(status: answer.status, body: answer.body) }
        return json
    }

    public func video(_ id: String) async throws -> RemoteVideo {
        let answer = try await session.send(.GET, "/api/v1/videos/\(Self.pathComponent(id))")
        guard answer.isSuccess, let video = RemoteVideo(json: answer.json) else {
            throw InstanceError.from(status: answer.status, body: answer.body, context: "video \(id)")
        }
        return video
    }

    /// Starts (or, with the same name, size and `lastModified`, finds again) an upload and
    /// returns its `upload_id` and the bytes the instance already holds. Quota, file type and
    /// channel are checked here, so a refusal comes before any byte is sent.
    public func startUpload(fields: [String: Any], size: Int64, mimeType: String) async throws -> (id: String, offset: Int64) {
        let body = try JSONSerialization.data(withJSONObject: fields)
        let answer = try await session.send(.POST, Self.resumable, headers: [
            ("Content-Type", "application/json"), ("X-Upload-Content-Length", "\(size)"), ("X-Upload-Content-Type", mimeType)],
            body: body)
        guard answer.status == 200 || answer.status == 201 else { throw InstanceError.from(status: answer.status, body: answer.body) }
        // The Location is protocol-relative and may lack the port: only its upload_id is trusted.
        guard let location = answer.headers["location"],
              let id = URLComponents(string: location)?.queryItems?.first(where: { $0.name == "upload_id" })?.value else {
            throw InstanceError(status: answer.status, code: nil, detail: "the instance started an upload without an upload_id")
        }
        return (id, answer.status == 200 ? Self.nextOffset(answer.headers["range"]) : 0)
    }

    /// Sends `bytes` at `start` of an upload of `total` bytes.
    public func sendChunk(_ id: String, bytes: Data, start: Int64, total: Int64) async throws -> UploadProgress {
        let end = start + Int64(bytes.count) - 1
        let answer = try await session.send(.PUT, "\(Self.resumable)?upload_id=\(Self.queryValue(id))", headers: [
            ("Content-Type", "application/octet-stream"), ("Content-Range", "bytes \(start)-\(end)/\(total)")],
            body: bytes, timeout: 3600)
        return try Self.progress(answer)
    }

    /// Asks where an upload stands (`Content-Range: bytes */total`); on a complete file this
    /// request makes the instance finish it.
    public func uploadOffset(_ id: String, total: Int64) async throws -> UploadProgress {
        let answer = try await session.send(.PUT, "\(Self.resumable)?upload_id=\(Self.queryValue(id))", headers: [
            ("Content-Range", "bytes */\(total)"), ("Content-Length", "0")], body: Data(), timeout: 3600)
        return try Self.progress(answer)
    }

    /// Drops an unfinished upload on the instance.
    public func cancelUpload(_ id: String) async {
        _ = try? await session.send(.DELETE, "\(Self.resumable)?upload_id=\(Self.queryValue(id))")
    }

    /// The user's video whose source was this file (name, original file name and size, created
    /// after `since`): the upload's answer was lost, but the video exists.
    public func findUploaded(name: String, fileName: String, size: Int64, since: Date) async throws -> RemoteVideo? {
        let search = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let answer = try await session.send(.GET, "/api/v1/users/me/videos?start=0&count=100&sort=-createdAt&search=\(search)")
        guard answer.isSuccess else { throw InstanceError.from(status: answer.status, body: answer.body) }
        let candidates = (answer.json?["data"] as? [[String: Any]] ?? []).compactMap { RemoteVideo(json: $0) }.filter { $0.name == name }
        for candidate in candidates {
            let source = try await session.send(.GET, "/api/v1/videos/\(candidate.id)/source")
            guard source.isSuccess, let json = source.json, json["inputFilename"] as? String == fileName,
                  (json["size"] as? NSNumber)?.int64Value ?? size == size else { continue }
            if let created = (json["createdAt"] as? String).flatMap(Self.date), created < since.addingTimeInterval(-5) { continue }
            return candidate
        }
        return nil
    }

    /// Sets the video's thumbnail and preview from one image (`PUT /api/v1/videos/{id}`).
    public func setImages(videoID: Int, image: URL) async throws {
        // 6.3 keeps a separate large preview; 8.1+ feeds every size from one image.
        let body = MultipartBody(fields: [:], files: [UploadFile(field: "thumbnailfile", path: image, contentType: "image/jpeg"),
                                                      UploadFile(field: "previewfile", path: image, contentType: "image/jpeg")])
        let answer = try await session.sendMultipart(.PUT, "/api/v1/videos/\(videoID)", body)
        guard answer.isSuccess else { throw InstanceError.from(status: answer.status, body: answer.body, context: "thumbnail") }
    }

    /// 308 with `Range: bytes=0-<last>`, 200 with the video, 404 gone, 503 still processing.
    static func progress(_ answer: InstanceHTTP.Answer) throws -> UploadProgress {
        switch answer.status {
        case 308: return .incomplete(offset: nextOffset(answer.headers["range"]))
        case 200, 201:
            guard let video = RemoteVideo(json: answer.json?["video"] as? [String: Any]) else {
                throw InstanceError(status: answer.status, code: nil, detail: "the upload's answer names no video")
            }
            return .complete(video)
        case 404: return .gone
        case 503 where answer.headers["retry-after"] != nil:
            return .processing(retryAfter: Double(answer.headers["retry-after"] ?? "") ?? 30)
        default: throw InstanceError.from(status: answer.status, body: answer.body)
        }
    }

    /// `bytes=0-<last>` gives last + 1; no header or `bytes=0--1` gives 0.
    static func nextOffset(_ range: String?) -> Int64 {
        guard let range, let last = range.split(separator: "-", maxSplits: 1).last.flatMap({ Int64($0) }), last >= 0 else { return 0 }
        return last + 1
    }

    static func pathComponent(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? value
    }

    static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? value
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
