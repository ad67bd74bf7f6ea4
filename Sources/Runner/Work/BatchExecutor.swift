import Foundation
import PeerTubeClient
import Jobs
import Ladder
import Packaging
import Transcoding

/// Makes every job of a batch from one download and one pass through the job runner (a child
/// process per pass with the isolated runner, so a crash or hang fails these jobs only).
struct BatchExecutor: Sendable {
    /// Free bytes under which a failed download is blamed on the disk.
    static let diskFullBelow: Int64 = 64 << 20

    let runner: any TranscodeRunner
    let configuration: RunnerConfiguration
    let statistics: RunnerStatistics
    /// Watches each pass's progress for the stall watchdog (from the end of the download: a slow
    /// download is not a stalled pass).
    let monitor: JobMonitor

    /// A batch's input files on this machine, downloaded once for all its passes.
    struct Input: Sendable {
        var video: URL
        var separateAudio: URL?
        var preview: URL?
        /// The files belong to an earlier pass's package (the rest of a ladder made from its top rung).
        var keepsFiles = false

        /// Removes the downloads (the passes' outputs stay).
        func remove() {
            guard !keepsFiles else { return }
            for file in [video, separateAudio, preview].compactMap({ $0 }) { try? FileManager.default.removeItem(at: file) }
        }
    }

    /// Downloads the batch's input (and its separate audio and preview, when it has them) into `folder`.
    func download(_ batch: VideoBatch, into folder: URL) async throws -> Input {
        guard let input = batch.inputMember else { throw JobFailure("no job to make") }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (source, separateAudio) = try await downloadInput(of: input, folder: folder)
        let preview = try await downloadPreview(of: input, folder: folder)
        return Input(video: source, separateAudio: separateAudio, preview: preview)
    }

    /// Makes what `pass` asks for from the downloaded input into `output`, and returns the
    /// package. A pass whose progress stops for the stall timeout is ended and fails with a
    /// reason that says so.
    func transcode(_ batch: VideoBatch, pass: PassPlan, input: Input, output: URL, passID: Int64, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (Double) -> Void) async throws -> TranscodeResult {
        var pipeline = configuration.pipeline
        pipeline.splitAudio = pass.splitAudio
        var options = TranscodeOptions(pipeline: pipeline, outputDirectory: output,
                                       limits: configuration.inputLimits, videoName: batch.videoUUID,
                                       renditions: pass.renditions, stillImage: input.preview,
                                       storyboard: pass.images ? batch.storyboard.map { sprites in
                                           Storyboard(spriteWidth: sprites.width, spriteHeight: sprites.height, spriteDuration: sprites.duration,
                                                      columns: sprites.columns, rows: sprites.rows, duration: .infinity)
                                       } : nil, separateAudio: input.separateAudio)
        options.images = pass.images
        let source = input.video
        return try await watched(passID, cancellation: cancellation, progress: progress) { report in
            try await runner.transcode(file: source, options: options, cancellation: cancellation, progress: report)
        }
    }

    /// Runs one child-process pass under the stall watchdog: its progress feeds the watchdog and
    /// `progress`; a pass the watchdog ended fails as stalled (with where it stood), any other
    /// failure with the child's one-line reason.
    func watched<Result: Sendable>(_ passID: Int64, cancellation: CancellationFlag, progress: @escaping @Sendable (Double) -> Void,
                                   _ body: (@escaping @Sendable (TranscodeProgress) -> Void) async throws -> Result) async throws -> Result {
        let monitor = self.monitor
        monitor.started(passID, cancellation: cancellation)
        defer { monitor.finished(passID) }
        do {
            return try await body { update in
                monitor.progressed(passID, update)
                progress(update.fraction)
            }
        } catch let error as TranscodeError {
            if monitor.wasStalled(passID) {
                throw JobFailure("stalled: no progress for \(Int(configuration.stallTimeout)) s\(monitor.position(of: passID))",
                                 isStall: true)
            }
            throw JobFailure(error.reason, isMachineFault: error.kind == .noSpace)
        }
    }

    /// The job's input, and its separate audio file when the video file has none.
    private func downloadInput(of member: VideoBatch.Member, folder: URL) async throws -> (video: URL, audio: URL?) {
        let video = folder.appendingPathComponent("input")
        try await download(member.job.inputURL, for: member, to: video)
        guard let audioURL = member.job.separatedAudioURL else { return (video, nil) }
        let audio = folder.appendingPathComponent("input-audio")
        try await download(audioURL, for: member, to: audio)
        return (video, audio)
    }

    /// Downloads one of the job's files; a failure says whether the input or this machine's disk is to blame.
    func download(_ url: String, for member: VideoBatch.Member, to file: URL) async throws {
        do {
            try await RunnerAPI(instance: member.held.instance).download(url, for: member.held, to: file)
            statistics.downloaded(bytes: (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0)
        } catch let error as InstanceError {
            // A download that stops because this machine's disk filled up is not the input's fault.
            let diskFull = (DiskGuard.available(file.deletingLastPathComponent()) ?? .max) < Self.diskFullBelow
            throw JobFailure(diskFull ? "the runner's disk is full (\(file.deletingLastPathComponent().path))"
                                      : "cannot download the input: \(error)", isMachineFault: diskFull)
        }
    }

    /// The picture an audio merge shows; without one the video shows a plain background.
    private func downloadPreview(of member: VideoBatch.Member, folder: URL) async throws -> URL? {
        guard let url = member.job.previewURL else { return nil }
        let file = folder.appendingPathComponent("preview")
        do {
            try await RunnerAPI(instance: member.held.instance).download(url, for: member.held, to: file)
            return file
        } catch {
            return nil
        }
    }
}
