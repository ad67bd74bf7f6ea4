import Foundation
import Jobs
import Packaging

/// Files a finished package into PeerTube's storage tree (peertube-format.md sections 1, 3, 5):
/// `streaming-playlists/hls/<videoUUID>/` keeps the playlists and fMP4s; torrents go to
/// `torrents/`, and the images to `thumbnails/<uuid>.jpg`, `previews/<uuid>.jpg`,
/// `storyboards/<uuid>.jpg`. Idempotent, so an interrupted import finishes it on the next run.
struct PeerTubeLayout {
    let output: URL

    func place(_ job: Job) throws {
        guard let directory = job.outputDirectory.map({ URL(fileURLWithPath: $0) }) else { return }
        let manifestURL = directory.appendingPathComponent(PackageManifest.fileName)
        guard var manifest = try? PackageManifest.decode(Data(contentsOf: manifestURL)) else { return }
        var moved = false
        func relocate(_ name: String?, to folder: String, as newName: String? = nil) throws -> String? {
            guard let name else { return nil }
            guard !name.contains("/") else { return name }  // already placed
            let target = output.appendingPathComponent(folder, isDirectory: true)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let destination = target.appendingPathComponent(newName ?? name)
            let source = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: source.path) {
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.moveItem(at: source, to: destination)
            }
            moved = true
            return "../../../\(folder)/\(newName ?? name)"
        }
        for index in manifest.renditions.indices {
            manifest.renditions[index].torrent = try relocate(manifest.renditions[index].torrent, to: "torrents")
        }
        if var images = manifest.images {
            images.preview = try relocate(images.preview, to: "previews", as: Self.plain(images.preview, "-preview.jpg")) ?? images.preview
            images.thumbnail = try relocate(images.thumbnail, to: "thumbnails", as: Self.plain(images.thumbnail, "-thumbnail.jpg")) ?? images.thumbnail
            manifest.images = images
        }
        if var storyboard = manifest.storyboard {
            storyboard.image = try relocate(storyboard.image, to: "storyboards", as: Self.plain(storyboard.image, "-storyboard.jpg")) ?? storyboard.image
            manifest.storyboard = storyboard
        }
        if moved { try manifest.encoded().write(to: manifestURL) }
    }

    /// PeerTube names images `<uuid>.jpg`.
    static func plain(_ name: String, _ suffix: String) -> String {
        name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) + ".jpg" : name
    }
}
