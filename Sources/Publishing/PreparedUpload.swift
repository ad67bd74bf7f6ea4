import Foundation
import LibAV
import Packaging

/// `--upload prepared`: what is sent instead of the original is the package's top rung as a
/// progressive MP4 (with its audio joined back in when the package splits it), remuxed, not
/// encoded. A phone's 15 Mb/s or a 4K master becomes a file at PeerTube's own bitrate, at the
/// same resolution and frame rate, so the instance asks for the same jobs and the runner answers
/// them from the same package; the instance keeps it as the video's source.
enum PreparedUpload {
    /// The file to send, made once beside the package (`<package>-upload.mp4`).
    static func file(for package: URL) throws -> URL {
        let file = package.deletingLastPathComponent().appendingPathComponent("\(package.lastPathComponent)-upload.mp4")
        if FileManager.default.fileExists(atPath: file.path) { return file }
        let manifest = try PackageManifest.decode(Data(contentsOf: package.appendingPathComponent(PackageManifest.fileName)))
        guard let top = manifest.renditions.filter({ $0.resolution > 0 }).max(by: { $0.resolution < $1.resolution }) else {
            throw PublishError(.refused, "the package has no video rung to upload (upload the original instead)")
        }
        let audio = manifest.splitAudio ? manifest.renditions.first { $0.resolution == 0 } : nil
        let partial = file.appendingPathExtension("part")
        do {
            if let audio {
                try Remuxer.merge(video: package.appendingPathComponent(top.file).path, audio: package.appendingPathComponent(audio.file).path,
                                  to: partial.path, as: .progressiveMP4)
            } else {
                try Remuxer.rewrite(package.appendingPathComponent(top.file).path, to: partial.path, as: .progressiveMP4)
            }
            try FileManager.default.moveItem(at: partial, to: file)
        } catch let error as PublishError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw PublishError(.refused, "the prepared upload cannot be written (\(error))")
        }
        return file
    }
}
