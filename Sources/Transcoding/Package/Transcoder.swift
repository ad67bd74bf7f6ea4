import Foundation
import Ladder
import LibAV
import Packaging

/// Turns one upload into PeerTube's HLS package, atomically.
///
/// Work happens in a hidden `.sluice-<uuid>.tmp` folder inside the output directory; it is
/// renamed to `<uuid>/` only after every file is written and each rendition was read back
/// with a duration matching the source. On failure or cancellation the folder is removed, so
/// the output directory never holds a partial package. The source is only ever read.
public enum Transcoder {
    /// Prefix of work folders; anything with it in an output directory is unfinished.
    public static let temporaryPrefix = ".sluice-"

    public static func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag = CancellationFlag(),
                                 progress: (TranscodeProgress) -> Void = { _ in }) throws(TranscodeError) -> TranscodeResult {
        guard let audio = options.separateAudio else {
            return try transcodeFile(file, options: options, cancellation: cancellation, progress: progress)
        }
        let joined = try join(file, audio, in: options.outputDirectory)
        defer { try? FileManager.default.removeItem(at: joined) }
        return try transcodeFile(joined, options: options, cancellation: cancellation, progress: progress)
    }

    /// The video of `file` and the audio of `audio` in one temporary Matroska file, packets copied,
    /// made here so that a file that crashes the demuxer crashes the job's process only.
    private static func join(_ file: URL, _ audio: URL, in directory: URL) throws(TranscodeError) -> URL {
        let joined = directory.appendingPathComponent("\(temporaryPrefix)input-\(UUID().uuidString.lowercased()).mkv")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Remuxer.merge(video: file.path, audio: audio.path, to: joined.path, as: .matroska)
        } catch {
            try? FileManager.default.removeItem(at: joined)
            throw TranscodeError(.badInput, file: file.path, reason: "cannot join the video with its separate audio file (\(error))",
                                 logTail: FFmpegLog.recentLines())
        }
        return joined
    }

    private static func transcodeFile(_ file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                                      progress: (TranscodeProgress) -> Void) throws(TranscodeError) -> TranscodeResult {
        let started = Date()
        FFmpegLog.capture()
        HugePages.disableForProcess()
        progress(TranscodeProgress(stage: .probing, fraction: 0))
        let (report, demuxer) = try MediaProbe.probe(file)
        try MediaProbe.validate(report)
        try options.limits.check(report)
        let pipeline = options.effectivePipeline
        let plan = MediaProbe.plan(report, demuxer: demuxer, pipeline: pipeline, requested: options.renditions,
                                   stillImage: options.stillImage)
        progress(TranscodeProgress(stage: .probing, fraction: 0, duration: report.expectedDuration,
                                   estimatedBytes: plan.estimatedMaxBytes))
        let videoUUID = (options.videoUUID ?? UUID()).uuidString.lowercased()
        let outputDirectory = options.outputDirectory.standardizedFileURL
        let work = outputDirectory.appendingPathComponent("\(temporaryPrefix)\(videoUUID).tmp", isDirectory: true)
        let final = outputDirectory.appendingPathComponent(videoUUID, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError.writing(error, file: outputDirectory.path,
                                         reason: "cannot create the output folder (\(error.localizedDescription))")
        }
        do {
            let engine = TranscodeEngine(demuxer: demuxer, report: report, plan: plan, pipeline: pipeline, directory: work,
                                         stillImage: options.stillImage, storyboard: options.storyboard, images: options.images)
            let output = try engine.run(cancellation: cancellation, progress: progress)
            if cancellation.isCancelled { throw TranscodeError(.cancelled, file: report.file, reason: "cancelled") }
            progress(TranscodeProgress(stage: .packaging, fraction: 1))
            let manifest = try PackageWriter(report: report, plan: plan, videoUUID: videoUUID, directory: work,
                                             baseURL: options.baseURL, trackers: options.trackers,
                                             videoName: videoName(report, options)).write(output)
            progress(TranscodeProgress(stage: .verifying, fraction: 1))
            try PackageVerifier(report: report, directory: work).verify(manifest)
            if cancellation.isCancelled { throw TranscodeError(.cancelled, file: report.file, reason: "cancelled") }
            try requireUnchanged(file, expected: options.expectedSource)
            try publish(work, to: final)
            let elapsed = Date().timeIntervalSince(started)
            progress(TranscodeProgress(stage: .done, fraction: 1, speed: manifest.duration / max(elapsed, 0.001), eta: 0))
            return TranscodeResult(directory: final.path, master: final.appendingPathComponent(manifest.master).path,
                                   videoUUID: videoUUID, duration: manifest.duration, elapsed: elapsed,
                                   speed: manifest.duration / max(elapsed, 0.001), renditions: manifest.renditions)
        } catch {
            try? FileManager.default.removeItem(at: work)
            if let error = error as? TranscodeError { throw error }
            throw TranscodeError.writing(error, file: report.file, reason: "\(error)", logTail: FFmpegLog.recentLines())
        }
    }

    /// The video's name, as PeerTube shows it: the source's title tag, else the upload's file name
    /// without its extension.
    static func videoName(_ report: ProbeReport, _ options: TranscodeOptions) -> String {
        if let title = report.title { return title }
        let fileName = options.videoName ?? URL(fileURLWithPath: report.file).lastPathComponent
        let stem = (fileName as NSString).deletingPathExtension
        return stem.isEmpty ? fileName : stem
    }

    /// The last check before publishing: a source whose writer went on while it was transcoded
    /// gives a package of a stale part, which must never be published.
    private static func requireUnchanged(_ file: URL, expected: SourceIdentity?) throws(TranscodeError) {
        guard let difference = expected?.difference(from: file.path) else { return }
        throw TranscodeError(.sourceChanged, file: file.path, reason: "the source changed while it was transcoded (\(difference))")
    }

    /// Renames the finished folder into place (one atomic rename on the same file system).
    private static func publish(_ work: URL, to final: URL) throws(TranscodeError) {
        if rename(work.path, final.path) != 0 {
            let code = errno
            throw TranscodeError(code == ENOSPC ? .noSpace : .output, file: final.path,
                                 reason: "cannot publish the package (\(String(cString: strerror(code))))")
        }
    }

    /// Removes unfinished work folders left in `directory` by a crash or a kill.
    @discardableResult
    public static func removeUnfinished(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(temporaryPrefix) }.compactMap { name in
            (try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))) == nil ? nil : name
        }
    }
}
