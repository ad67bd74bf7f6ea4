import Foundation
import Ladder
import LibAV

/// Opens a file, describes it, and decides whether it is media Sluice can transcode, with a
/// one-line reason when it is not. Never writes to the file.
public enum MediaProbe {
    /// Demuxers that "succeed" on things that are not videos: a single picture or a text file
    /// rendered as ANSI art.
    static let stillImageFormats: Set<String> = ["image2", "tty", "bin", "xbin", "adp", "idf"]
    static let stillImageCodecs: Set<String> = ["mjpeg", "png", "bmp", "webp", "tiff", "gif", "jpeg2000", "pam",
                                               "ppm", "pgm", "pbm", "targa", "sgi", "qoi", "jpegls", "exr", "dpx"]
    /// Pictures beyond 16K or a week of video are not uploads but broken headers.
    static let maximumDimension = 16384
    static let maximumDuration = 7 * 24 * 3600.0

    /// Reads the container and streams. Throws a `.badInput` ``TranscodeError`` for a file that
    /// is missing, empty, unreadable or not media.
    public static func probe(_ url: URL) throws(TranscodeError) -> (report: ProbeReport, demuxer: Demuxer) {
        FFmpegLog.capture()
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TranscodeError(.badInput, file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw TranscodeError(.badInput, file: path, reason: "is a directory, not a video file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        if size == 0 { throw TranscodeError(.badInput, file: path, reason: "is empty (0 bytes)") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TranscodeError(.badInput, file: path, reason: "cannot be read (permission denied)")
        }
        let demuxer: Demuxer
        do {
            demuxer = try Demuxer(path: path)
        } catch {
            throw TranscodeError(.badInput, file: path, reason: "is not a video or audio file FFmpeg can read (\(error.message))",
                                 logTail: FFmpegLog.recentLines())
        }
        let report = ProbeReport(file: path, size: size ?? demuxer.fileSize, container: demuxer.formatName,
                                 containerLongName: demuxer.formatLongName, duration: demuxer.duration,
                                 startTime: demuxer.startTime, bitRate: demuxer.bitRate, title: demuxer.title,
                                 streams: demuxer.streams)
        return (report, demuxer)
    }

    /// Refuses what cannot become a PeerTube video, with the reason a user can act on.
    public static func validate(_ report: ProbeReport) throws(TranscodeError) {
        let file = report.file
        if stillImageFormats.contains(report.container) || report.container.hasSuffix("_pipe") {
            let what = report.container == "tty" ? "a text file" : "a still image"
            throw TranscodeError(.badInput, file: file, reason: "is \(what) (\(report.container)), not a video")
        }
        let video = report.videoStream
        let audio = report.audioStream
        if video == nil && audio == nil {
            throw TranscodeError(.badInput, file: file, reason: "has no video or audio stream")
        }
        if let video {
            guard let width = video.width, let height = video.height, width > 0, height > 0 else {
                throw TranscodeError(.badInput, file: file, reason: "video stream \(video.index) (\(video.codec)) has no picture size: the file is damaged or its codec unknown")
            }
            if width > maximumDimension || height > maximumDimension {
                throw TranscodeError(.badInput, file: file, reason: "reports an impossible picture size \(width)x\(height)")
            }
            if audio == nil, stillImageCodecs.contains(video.codec), (video.frameCount ?? 1) <= 1,
               (report.duration ?? 0) < 1 {
                throw TranscodeError(.badInput, file: file, reason: "is a still image (\(video.codec)), not a video")
            }
            if video.codec == "none" || video.codec.isEmpty {
                throw TranscodeError(.badInput, file: file, reason: "video stream \(video.index) uses a codec FFmpeg does not know")
            }
        }
        if let duration = report.expectedDuration, duration > maximumDuration {
            throw TranscodeError(.badInput, file: file, reason: "reports an absurd duration of \(Int(duration / 3600)) hours")
        }
    }

    /// The facts the ladder rules need.
    public static func summary(of report: ProbeReport) -> SourceSummary {
        let video = report.videoStream
        let display = video?.displaySize
        let audio = report.audioStream.map { stream in
            SourceSummary.AudioSource(codec: stream.codec, bitRate: stream.bitRate.map(Int.init),
                                      sampleRate: stream.sampleRate ?? 48000, channels: stream.channels ?? 2,
                                      profile: stream.profile, channelLayout: stream.channelLayout)
        }
        let cover = report.coverArt.flatMap { stream -> SourceSummary.CoverArt? in
            guard let size = stream.displaySize, size.width > 0, size.height > 0 else { return nil }
            return SourceSummary.CoverArt(width: size.width, height: size.height)
        }
        return SourceSummary(width: display?.width, height: display?.height, framesPerSecond: video?.framesPerSecond,
                             bitRate: report.bitRate.map(Int.init), duration: report.expectedDuration ?? 0,
                             audio: audio, coverArt: video == nil ? cover : nil, video: video.map(videoSource))
    }

    private static func videoSource(_ stream: StreamInfo) -> VideoSource {
        let sar = stream.sampleAspectRatio.flatMap { $0.numerator == $0.denominator ? nil : "\($0.numerator):\($0.denominator)" }
        return VideoSource(codec: stream.codec, profile: stream.profile, pixelFormat: stream.pixelFormat,
                           rotation: stream.rotation ?? 0, isInterlaced: stream.isInterlaced,
                           hdrTransfer: stream.isHDR ? stream.colorTransfer : nil, nonSquarePixels: sar)
    }

    /// The ladder for an opened source. The keyframes are looked up (from the container's index,
    /// else by reading the video's packets) only when they alone decide whether the top rung
    /// can be copied.
    public static func plan(_ report: ProbeReport, demuxer: Demuxer, pipeline: Pipeline,
                            requested: [RenditionRequest]? = nil, stillImage: URL? = nil) -> LadderPlan {
        var summary = summary(of: report)
        if report.videoStream == nil, let stillImage,
           let size = (try? Demuxer(path: stillImage.path))?.streams.first(where: { $0.kind == .video })?.displaySize {
            summary.coverArt = SourceSummary.CoverArt(width: size.width, height: size.height)
        }
        if let audio = report.audioStream {
            summary.audio?.hasDecoderConfig = !((try? demuxer.trackFormat(stream: audio.index))?.extradata.isEmpty ?? true)
        }
        guard let stream = report.videoStream else { return LadderPlanner.plan(source: summary, pipeline: pipeline, requested: requested) }
        let extradata = (try? demuxer.trackFormat(stream: stream.index))?.extradata ?? []
        summary.video?.isLengthPrefixed = stream.codec != "h264" || extradata.first == 1
        let plan = LadderPlanner.plan(source: summary, pipeline: pipeline, requested: requested)
        guard plan.copyRefusal == CopyGate.keyframesUnknown else { return plan }
        summary.video?.keyframes = keyframes(report, demuxer: demuxer, stream: stream.index)
        return LadderPlanner.plan(source: summary, pipeline: pipeline, requested: requested)
    }

    private static func keyframes(_ report: ProbeReport, demuxer: Demuxer, stream: Int) -> KeyframeSpacing? {
        let map = demuxer.indexedKeyframes(stream: stream)
            ?? (try? Demuxer(path: report.file).scanKeyframes(stream: stream))
        return map.map { KeyframeSpacing(longestGap: $0.longestGap, startsWithKeyframe: $0.startsWithKeyframe, measuredFPS: $0.averageFPS) }
    }
}
