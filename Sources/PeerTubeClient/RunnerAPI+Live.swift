import Foundation

extension RunnerAPI {
    /// One update of a live job (runner-live-and-studio.md §1.3): always multipart (a JSON update
    /// is 400 for a live), a chunk added with the playlist that now ends with it and, once every
    /// playlist exists, the master; or a chunk that left every playlist, removed.
    public enum LiveUpdate: Sendable {
        case addChunk(chunk: URL, name: String, playlist: URL, playlistName: String, master: URL?)
        case removeChunk(name: String)
    }

    /// Sends `update`, tried three times 250 ms apart as the official runner does; an answer
    /// `runner_job_not_in_processing_state` (the live was stopped or cancelled) is thrown at once.
    public func liveUpdate(_ held: HeldJob, _ update: LiveUpdate) async throws {
        var fields = ["runnerToken": held.runnerToken, "jobToken": held.jobToken]
        var files: [UploadFile] = []
        switch update {
        case .addChunk(let chunk, let name, let playlist, let playlistName, let master):
            fields["payload[type]"] = "add-chunk"
            fields["payload[videoChunkFilename]"] = name
            fields["payload[resolutionPlaylistFilename]"] = playlistName
            files.append(UploadFile(field: "payload[videoChunkFile]", path: chunk, fileName: name, contentType: "video/mp2t"))
            files.append(UploadFile(field: "payload[resolutionPlaylistFile]", path: playlist, fileName: playlistName,
                                    contentType: "application/vnd.apple.mpegurl"))
            if let master {
                files.append(UploadFile(field: "payload[masterPlaylistFile]", path: master, fileName: "master.m3u8",
                                        contentType: "application/vnd.apple.mpegurl"))
            }
        case .removeChunk(let name):
            fields["payload[type]"] = "remove-chunk"
            fields["payload[videoChunkFilename]"] = name
        }
        let url = try routeURL("jobs/\(held.uuid)/update")
        var attempt = 0
        while true {
            attempt += 1
            do {
                let answer = try await http.upload(url, MultipartBody(fields: fields, files: files))
                guard (200..<300).contains(answer.status) else { throw InstanceError.from(status: answer.status, body: answer.body) }
                return
            } catch let error as InstanceError where error.code == "runner_job_not_in_processing_state" || error.status == 404 {
                throw error
            } catch where attempt < 3 && !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// A live's `/success`: the stream ended; nothing is sent but the tokens (any payload is 400).
    public func liveEnded(_ held: HeldJob) async throws {
        try await success(held, files: [])
    }
}
