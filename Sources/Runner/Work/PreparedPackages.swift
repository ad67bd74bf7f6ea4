import Foundation
import Jobs
import Packaging
import PeerTubeClient
import Transcoding

/// The packages of videos this state folder published (``PublicationStore``): a job of such a
/// video is answered from the package, with no download, no decode and no encode, when the
/// package has what the job asks for (its resolution and frame rate, its audio layout, its
/// storyboard's sheet). Anything else (the instance's settings changed since) is made by a
/// normal pass.
struct PreparedPackages: Sendable {
    let store: PublicationStore

    init(state: URL) {
        store = PublicationStore(state: state)
    }

    /// The package as a pass's result, when it can answer `job`.
    func result(for job: RunnerJob, instance: String) -> TranscodeResult? {
        guard let publication = store.published(videoUUID: job.videoUUID, instance: InstanceURL.normalized(instance)),
              let package = publication.package,
              let manifest = try? PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: package)
                  .appendingPathComponent(PackageManifest.fileName))),
              Self.answers(job, from: manifest) else { return nil }
        return TranscodeResult(directory: package, master: URL(fileURLWithPath: package).appendingPathComponent(manifest.master).path,
                               videoUUID: manifest.videoUUID, duration: manifest.duration, elapsed: 0, speed: 0,
                               renditions: manifest.renditions)
    }

    /// The jobs of `jobs` that should wait a moment: one of this folder's uploads to the instance
    /// is finishing, and their video (not recorded yet) may be that one.
    func mayBeFinishing(_ jobs: [RunnerJob], instance: String) -> [RunnerJob] {
        let instance = InstanceURL.normalized(instance)
        guard store.isFinishingUpload(instance: instance) else { return [] }
        return jobs.filter { store.published(videoUUID: $0.videoUUID, instance: instance) == nil }
    }

    /// Records a job answered for a published video (and removes a package no job needs any more).
    func answered(_ job: RunnerJob, instance: String) -> URL? {
        store.answered("\(job.kind.key)-\(job.resolution)", videoUUID: job.videoUUID, instance: InstanceURL.normalized(instance))
    }

    static func answers(_ job: RunnerJob, from manifest: PackageManifest) -> Bool {
        if job.kind == .storyboard {
            guard let sprites = job.sprites, let layout = manifest.storyboard?.layout else { return false }
            return layout.spriteWidth == sprites.width && layout.spriteHeight == sprites.height && layout.columns == sprites.columns
                && layout.rows == sprites.rows
        }
        let hasAudio = manifest.renditions.contains { $0.resolution == 0 } || manifest.source.audio != nil
        guard manifest.renditions.contains(where: { $0.resolution == job.resolution && (job.resolution == 0 || $0.fps == job.fps) }) else {
            return false
        }
        // An HLS rung's audio layout must be the job's: video-only rungs for split audio, muxed otherwise.
        if job.kind == .hls && job.resolution > 0 && hasAudio { return job.separatedAudio == manifest.splitAudio }
        return true
    }
}
