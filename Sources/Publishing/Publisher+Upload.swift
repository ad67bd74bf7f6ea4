import Foundation
import Jobs
import Packaging
import PeerTubeClient
import Transcoding

extension Publisher {
    /// Uploads the original until the instance makes the video, resuming a recorded upload at
    /// the instance's offset; an upload the instance forgot is looked for among the account's
    /// videos before a new one starts, so a lost answer never makes a second video.
    func upload(_ file: URL, publication: Publication, metadata: VideoMetadata, target: PublishTarget, fileName: String,
                api: VideosAPI) async throws -> Publication {
        var publication = publication
        guard publication.videoUUID == nil else { return publication }
        let size = try Self.size(of: file)
        let sender = ResumableUpload(api: api, chunkSize: settings.chunkSize, attemptsWithoutProgress: settings.attemptsWithoutProgress,
                                     firstPause: settings.firstRetryPause)
        var progress = UploadProgress.gone
        if let id = publication.uploadID {
            logger.info("resuming the upload", metadata: ["file": "\(fileName)", "confirmed": "\(publication.confirmedBytes)"])
            progress = try await sender.send(file, id: id, total: size, progressed: recorder(publication), finishing: marker(publication))
        }
        if case .gone = progress, let started = publication.uploadStarted,
           let found = try await api.findUploaded(name: publication.name, fileName: fileName, size: size, since: started) {
            progress = .complete(found)
        }
        if case .gone = progress {
            let channelID = try await api.channelID(publication.channel)
            let lastModified = publication.lastModified ?? Int64(((try? Self.modified(file)) ?? Date()).timeIntervalSince1970 * 1000)
            let fields = metadata.uploadFields(channelID: channelID, fileName: fileName, defaultPrivacy: target.privacy)
                .merging(["lastModified": lastModified]) { $1 }
            let (id, offset) = try await api.startUpload(fields: fields, size: size, mimeType: Self.mimeType(of: URL(fileURLWithPath: fileName)))
            publication.uploadID = id
            publication.lastModified = lastModified
            publication.uploadStarted = publication.uploadStarted ?? Date()
            publication.step = .uploading
            try store.save(publication)
            logger.info("uploading", metadata: ["file": "\(fileName)", "bytes": "\(size)"])
            progress = try await sender.send(file, id: id, total: size, from: offset, progressed: recorder(publication),
                                             finishing: marker(publication))
        }
        guard case .complete(let video) = progress else {
            throw InstanceError(status: nil, code: nil, detail: "the instance lost the upload twice; the next run starts it again")
        }
        publication = store.load(key: publication.key) ?? publication
        publication.videoID = video.id
        publication.videoUUID = video.uuid
        publication.watchURL = video.watchURL(instance: publication.instance)
        publication.confirmedBytes = size
        publication.step = .uploaded
        try store.save(publication)
        logger.info("uploaded", metadata: ["file": "\(fileName)", "video": "\(video.uuid)"])
        await setImages(of: video, metadata: metadata, publication: publication, api: api)
        return publication
    }

    /// Saves each offset the instance confirms.
    private func recorder(_ publication: Publication) -> @Sendable (Int64) async -> Void {
        let store = self.store
        return { offset in store.update(key: publication.key) { $0.confirmedBytes = offset } }
    }

    /// Records that the last chunk is going: the runner then leaves jobs of videos it does not
    /// know for a moment, as the instance may queue this one's before its answer is recorded.
    private func marker(_ publication: Publication) -> @Sendable () async -> Void {
        let store = self.store
        return { store.update(key: publication.key) { $0.finishing = true } }
    }

    /// The sidecar's thumbnail, else the package's preview (the frame PeerTube's own would pick).
    /// A refused image is reported; the video stays with the instance's generated one.
    private func setImages(of video: RemoteVideo, metadata: VideoMetadata, publication: Publication, api: VideosAPI) async {
        let image = metadata.thumbnail ?? publication.package.flatMap { package -> URL? in
            let folder = URL(fileURLWithPath: package)
            let manifest = try? PackageManifest.decode(Data(contentsOf: folder.appendingPathComponent(PackageManifest.fileName)))
            return manifest?.images.map { folder.appendingPathComponent($0.preview) }
        }
        guard let image else { return }
        do {
            try await api.setImages(videoID: video.id, image: image)
        } catch {
            logger.warning("the thumbnail was not set", metadata: ["video": "\(video.uuid)", "reason": "\(error)"])
        }
    }

    /// Looks at the video until the instance says published (or that it gave up).
    func waitPublished(_ publication: Publication, api: VideosAPI) async throws -> Publication {
        guard let uuid = publication.videoUUID else { return publication }
        let deadline = Date().addingTimeInterval(settings.publishTimeout)
        logger.info("waiting until the instance publishes it (its runners, e.g. `sluice runner serve` with this state folder, make it watchable)",
                    metadata: ["video": "\(uuid)"])
        while true {
            let video = try await api.video(uuid)
            if video.isPublished || video.hasFailed || Date() > deadline {
                // The runner records the jobs it answered in the same file meanwhile: change what is stored.
                store.update(key: publication.key) { stored in
                    stored.state = video.stateLabel
                    stored.step = video.isPublished ? .published : video.hasFailed ? .failed : stored.step
                    if video.hasFailed { stored.error = "the instance says: \(video.stateLabel ?? "failed")" }
                }
                return store.load(key: publication.key) ?? publication
            }
            try await Task.sleep(for: .seconds(settings.statePoll))
        }
    }

    /// Runs a step and sorts what stops it into ``PublishError``'s kinds.
    static func mapping<T>(_ step: () async throws -> T) async throws(PublishError) -> T {
        do {
            return try await step()
        } catch let error as PublishError {
            throw error
        } catch let error as InstanceError {
            if error.needsLogin { throw PublishError(.needsLogin, error.detail) }
            if error.isQuotaReached { throw PublishError(.quotaReached, "the video quota is full: \(error.detail)") }
            if error.isTransient { throw PublishError(.unreachable, error.description) }
            throw PublishError(.refused, "the instance refused it: \(error.description)")
        } catch let error as TranscodeError {
            throw PublishError(.refused, error.reason)
        } catch {
            throw PublishError(.unreachable, "\(error)")
        }
    }

    static func size(of file: URL) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func modified(_ file: URL) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date ?? Date()
    }

    /// The declared type PeerTube checks (not the content): known extensions, else octet-stream.
    static func mimeType(of file: URL) -> String {
        let types = ["mp4": "video/mp4", "m4v": "video/x-m4v", "mov": "video/quicktime", "mkv": "video/x-matroska", "webm": "video/webm",
                     "avi": "video/x-msvideo", "ogv": "video/ogg", "ts": "video/mp2t", "mp3": "audio/mpeg", "m4a": "audio/mp4",
                     "flac": "audio/flac", "wav": "audio/x-wav", "ogg": "audio/ogg"]
        return types[file.pathExtension.lowercased()] ?? "application/octet-stream"
    }
}
