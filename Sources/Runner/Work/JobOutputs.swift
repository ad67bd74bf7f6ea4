import Foundation
import PeerTubeClient
import LibAV
import Packaging
import Transcoding

/// The files one job posts, picked from the pass's package and checked first: PeerTube answers
/// 204 even when its ingest of a bad file fails, so nothing unreadable or misnamed is sent.
enum JobOutputs {
    /// PeerTube renames the fMP4 only when the playlist names it `<lowercase uuid>-<digits>-fragmented.mp4`.
    static let mediaNamePattern = #"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d+-fragmented\.mp4$"#

    static func files(for job: RunnerJob, in result: TranscodeResult) throws -> [UploadFile] {
        let folder = URL(fileURLWithPath: result.directory)
        if job.kind == .storyboard { return [try storyboard(for: job, in: folder)] }
        guard ![.studio, .live].contains(job.kind) else { throw JobFailure("a \(job.kind.key) job is not made by a transcoding pass") }
        guard let rendition = result.renditions.first(where: { $0.resolution == job.resolution && (job.resolution == 0 || $0.fps == job.fps) }) else {
            throw JobFailure("the pass made no \(job.resolution)p rendition at \(job.fps) fps")
        }
        let media = folder.appendingPathComponent(rendition.file)
        let streams = try checkMedia(media, resolution: job.resolution)
        switch job.kind {
        case .webVideo, .audioMerge, .storyboard, .studio, .live:
            // With split audio the rung is video only (its CODECS still names the audio group's).
            let apart = streams.contains { $0.kind == .audio } ? nil : result.renditions.first { $0.resolution == 0 }
            let audio = apart.map { folder.appendingPathComponent($0.file) }
            let file = try progressive(media, audio: audio, for: job)
            return [UploadFile(field: "payload[videoFile]", path: file, fileName: "output-\(job.uuid).mp4", contentType: "video/mp4")]
        case .hls:
            let playlist = folder.appendingPathComponent(rendition.playlist)
            try checkPlaylist(playlist, media: rendition.file)
            return [UploadFile(field: "payload[videoFile]", path: media, contentType: "video/mp4"),
                    UploadFile(field: "payload[resolutionPlaylistFile]", path: playlist, contentType: "application/vnd.apple.mpegurl")]
        }
    }

    /// A web video is a progressive MP4 with its index first, as PeerTube writes it
    /// (`-movflags faststart`), made beside the package from the rung's fragmented MP4, and from
    /// the audio rendition too when the pass split the audio from the video.
    static func progressive(_ media: URL, audio: URL?, for job: RunnerJob) throws -> URL {
        let file = media.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("output-\(job.uuid).mp4")
        if FileManager.default.fileExists(atPath: file.path) { return file }
        let partial = file.appendingPathExtension("part")
        do {
            if let audio {
                try Remuxer.merge(video: media.path, audio: audio.path, to: partial.path, as: .progressiveMP4)
            } else {
                try Remuxer.rewrite(media.path, to: partial.path, as: .progressiveMP4)
            }
            try FileManager.default.moveItem(at: partial, to: file)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw JobFailure("the \(job.resolution)p web video cannot be written (\(error))")
        }
        try checkMedia(file, resolution: job.resolution)
        return file
    }

    /// A studio result: the edited MP4, checked to hold an H.264 picture of the size the edit made.
    static func studio(_ result: StudioEditResult, for job: RunnerJob) throws -> [UploadFile] {
        let file = URL(fileURLWithPath: result.file)
        let streams = try checkMedia(file, resolution: min(result.width, result.height))
        guard streams.first(where: { $0.kind == .video })?.codec == "h264",
              streams.contains(where: { $0.kind == .audio }) == result.hasAudio else {
            throw JobFailure("the edited video does not read back as made")
        }
        return [UploadFile(field: "payload[videoFile]", path: file, fileName: "output-edition-\(job.uuid).mp4", contentType: "video/mp4")]
    }

    /// The sprite sheet the pass made, as the job laid it out.
    static func storyboard(for job: RunnerJob, in folder: URL) throws -> UploadFile {
        let manifest = try PackageManifest.decode(Data(contentsOf: folder.appendingPathComponent(PackageManifest.fileName)))
        guard let sprites = job.sprites, let name = manifest.storyboard?.image else {
            throw JobFailure("the pass made no storyboard (the video has no picture to make one from)")
        }
        let file = folder.appendingPathComponent(name)
        let picture = try? Demuxer(path: file.path).streams.first { $0.kind == .video }
        guard picture?.width == sprites.width * sprites.columns, picture?.height == sprites.height * sprites.rows else {
            throw JobFailure("the storyboard is not the \(sprites.columns)x\(sprites.rows) sheet of \(sprites.width)x\(sprites.height) sprites asked for")
        }
        return UploadFile(field: "payload[storyboardFile]", path: file, fileName: "storyboard-\(job.uuid).jpg", contentType: "image/jpeg")
    }

    /// The file opens, and its picture is the resolution PeerTube will probe and file it under.
    @discardableResult
    static func checkMedia(_ file: URL, resolution: Int) throws -> [StreamInfo] {
        let streams: [StreamInfo]
        do {
            streams = try Demuxer(path: file.path).streams
        } catch {
            throw JobFailure("the \(resolution)p output cannot be read back (\(error))")
        }
        let video = streams.first { $0.kind == .video }
        let probed = video.flatMap { $0.displaySize.map { min($0.width, $0.height) } } ?? 0
        guard probed == resolution else { throw JobFailure("the \(resolution)p output probes as \(probed)p") }
        if resolution == 0 && !streams.contains(where: { $0.kind == .audio }) { throw JobFailure("the audio output has no audio") }
        return streams
    }

    /// Every segment has an explicit byte range (or it gets no SHA-256), and the map names the fMP4
    /// as PeerTube's rename expects.
    static func checkPlaylist(_ file: URL, media: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n")
        guard media.range(of: mediaNamePattern, options: .regularExpression) != nil,
              lines.contains(where: { $0.hasPrefix("#EXT-X-MAP:URI=\"\(media)\"") }) else {
            throw JobFailure("the playlist does not name its fMP4 as PeerTube expects")
        }
        let segments = lines.filter { $0.hasPrefix("#EXTINF:") }.count
        let ranges = lines.filter { $0.range(of: #"^#EXT-X-BYTERANGE:\d+@\d+$"#, options: .regularExpression) != nil }.count
        guard segments > 0, ranges == segments else { throw JobFailure("the playlist's segments lack explicit byte ranges") }
    }
}
