import Foundation
import Ladder
import LibAV

/// Applies a studio job's tasks in one pass: one ``StudioGraph`` reading every input, one H.264
/// and one AAC encode with PeerTube's VOD settings (`presetVOD`: veryfast, `-bf 16`,
/// `-b_strategy 1`, GOP of 2 s, maxrate and bufsize from its bitrate table), one progressive MP4.
public enum StudioEditor {
    /// Edits `options.input` into `options.output`. Bad inputs and impossible tasks throw a
    /// `.badInput` error naming the reason; nothing is left at the output path on failure.
    public static func edit(_ options: StudioEditOptions, cancellation: CancellationFlag,
                            progress: (TranscodeProgress) -> Void) throws(TranscodeError) -> StudioEditResult {
        FFmpegLog.capture()
        let main = try describe(options.input, role: "video", limits: options.limits)
        let audio = try options.separateAudio.map { path throws(TranscodeError) in
            try describe(path, role: "separate audio", limits: options.limits)
        }
        var files: [String: StudioMedia] = [:]
        for task in options.tasks {
            guard let file = task.file, files[file] == nil else { continue }
            files[file] = try describe(file, role: "\(task.name) file", limits: options.limits).media
        }
        let graph: StudioGraph
        do {
            graph = try StudioGraph.build(main: main.media, separateAudio: audio?.media, tasks: options.tasks, files: files)
        } catch {
            throw TranscodeError(.badInput, file: options.input, reason: error.description)
        }
        progress(TranscodeProgress(stage: .encoding, fraction: 0, duration: graph.duration))
        let draft = options.output + ".part"
        defer { try? FileManager.default.removeItem(atPath: draft) }
        let written = try StudioPass(graph: graph, sourceBitrate: main.bitRate, file: options.input)
            .run(to: draft, cancellation: cancellation, progress: progress)
        guard rename(draft, options.output) == 0 else {
            throw TranscodeError(errno == ENOSPC ? .noSpace : .output, file: options.output, reason: "cannot move the result into place")
        }
        return StudioEditResult(file: options.output, width: graph.width, height: graph.height, fps: graph.fps,
                                hasAudio: graph.hasAudio, duration: written, expectedDuration: graph.duration)
    }

    /// A file as the graph sees it, and its bitrate (the encode's cap follows the source's).
    private static func describe(_ path: String, role: String, limits: InputLimits)
        throws(TranscodeError) -> (media: StudioMedia, bitRate: Int?) {
        let report: ProbeReport
        do {
            report = try MediaProbe.probe(URL(fileURLWithPath: path)).report
            try limits.check(report)
        } catch {
            throw TranscodeError(.badInput, file: path, reason: "the \(role) \(error.reason)")
        }
        let video = report.videoStream, audio = report.audioStream
        let size = video?.displaySize
        let fps = Int((video?.framesPerSecond ?? 0).rounded())
        let media = StudioMedia(path: path, width: size?.width ?? 0, height: size?.height ?? 0, fps: max(fps, 1),
                                hasVideo: video != nil, hasAudio: audio != nil,
                                duration: report.duration ?? video?.duration ?? audio?.duration ?? 0,
                                sampleRate: audio?.sampleRate ?? 48000)
        return (media, report.bitRate.map { Int($0) })
    }
}
