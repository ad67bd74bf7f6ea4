import Foundation
import Ladder
import LibAV
import Packaging

/// Runs one plan against one opened source: a source thread decoding once and one thread per
/// rendition (scaling and encoding in parallel), joined by bounded queues. The first failing
/// stage cancels the rest; renditions succeed or fail together.
final class TranscodeEngine {
    struct Result: Sendable {
        var renditions: [RenditionResult]
        /// Preview, thumbnail and storyboard; nil when the source gave no picture to make them from.
        var images: ImageStage.Output?
    }

    struct RenditionResult: Sendable {
        var plan: RenditionPlan?
        var media: String
        var playlist: String
        var output: RenditionStage.Output
    }

    /// Frames of the source size each rendition queue may hold. Frames are shared by
    /// reference, so this bounds how far the fastest rendition runs ahead of the slowest.
    /// Six frames keep both cores busy (fewer let the renditions stall each other; more only
    /// add memory, ~3 MB per 1080p frame).
    private let queueFrames = Int(ProcessInfo.processInfo.environment["SLUICE_QUEUE_FRAMES"] ?? "") ?? 6
    /// Overrides ``ThreadPlan/decoderThreads(width:height:fps:bitRate:)``.
    private let decoderThreadsOverride = Int(ProcessInfo.processInfo.environment["SLUICE_DECODER_THREADS"] ?? "")
    private let demuxer: Demuxer
    private let report: ProbeReport
    private let plan: LadderPlan
    private let pipeline: Pipeline
    private let directory: URL
    private let stillImage: URL?
    private let storyboard: Storyboard?
    /// Whether the thumbnail, preview and storyboard are made.
    private let makesImages: Bool

    init(demuxer: Demuxer, report: ProbeReport, plan: LadderPlan, pipeline: Pipeline, directory: URL, stillImage: URL? = nil,
         storyboard: Storyboard? = nil, images: Bool = true) {
        makesImages = images
        self.stillImage = stillImage
        self.storyboard = storyboard
        self.demuxer = demuxer
        self.report = report
        self.plan = plan
        self.pipeline = pipeline
        self.directory = directory
    }

    func run(cancellation: CancellationFlag, progress: (TranscodeProgress) -> Void) throws(TranscodeError) -> Result {
        let file = report.file
        do {
            return try execute(cancellation: cancellation, progress: progress)
        } catch let error as TranscodeError {
            throw error
        } catch let error as FFmpegError {
            // The first error a stage recorded decides; the others only saw the stop it caused.
            if error.isCancelled {
                throw TranscodeError(.cancelled, file: file, reason: "cancelled")
            }
            if error.isInvalidData || error.isDecoderNotFound {
                throw TranscodeError(.badInput, file: file, reason: "cannot be decoded (\(error))", logTail: FFmpegLog.recentLines())
            }
            throw TranscodeError.wrapping(error, file: file, during: "transcode failed")
        } catch {
            throw TranscodeError(.internalFailure, file: file, reason: "\(error)", logTail: FFmpegLog.recentLines())
        }
    }

    private func execute(cancellation: CancellationFlag, progress: (TranscodeProgress) -> Void) throws -> Result {
        let origin = SourceStage.origin(for: report, stillImage: plan.isStillImage)
        let audio = try makeAudio(origin: origin)
        let audioTrack = try audio.chain.map { try TrackFormat(encoder: $0.encoder) } ?? audio.copy?.track
        let still = plan.isStillImage ? try stillPicture() : nil
        let sourceFrameBytes = (report.videoStream?.width ?? 854) * (report.videoStream?.height ?? 480) * 3 / 2
        let capacity = max(sourceFrameBytes * queueFrames, 4 << 20)
        var stages: [RenditionStage] = []
        var results: [(plan: RenditionPlan?, media: String, playlist: String)] = []
        let muxedAudio = plan.splitAudio ? nil : audioTrack
        let encoded = plan.renditions.filter { !$0.copy }
        let threads = ThreadPlan.encoderThreads(for: encoded, cores: ProcessInfo.processInfo.activeProcessorCount,
                                                configured: pipeline.video.threadsPerRendition,
                                                parallelism: pipeline.video.parallelism)
        let cascade = ScaleCascade(sizes: encoded.map { ScaleCascade.Size(width: $0.width, height: $0.height) })
        var copyQueue: BoundedQueue<StageItem>?
        if let top = plan.renditions.first, top.copy, let video = report.videoStream {
            let names = PackageNames.rendition(resolution: top.resolution)
            let stage = try RenditionStage(copying: top, video: try demuxer.trackFormat(stream: video.index), audio: muxedAudio,
                                           segmentSeconds: plan.segmentSeconds,
                                           path: directory.appendingPathComponent(names.media).path, queueCapacity: capacity)
            stages.append(stage)
            copyQueue = stage.queue
            results.append((top, names.media, names.playlist))
        }
        for (rendition, threads) in zip(encoded, threads) {
            let names = PackageNames.rendition(resolution: rendition.resolution)
            let keyframes = KeyframePlacement(interval: rendition.keyframeInterval(seconds: plan.keyframeSeconds),
                                              segmentPeriod: rendition.fps * plan.segmentSeconds, alignedToSource: copyQueue != nil)
            let stage = try RenditionStage(plan: rendition, level: cascade.level(width: rendition.width, height: rendition.height) ?? 0,
                                           settings: encoderSettings(for: rendition, threads: threads), audio: muxedAudio,
                                           keyframes: keyframes, segmentSeconds: plan.segmentSeconds,
                                           path: directory.appendingPathComponent(names.media).path, queueCapacity: capacity)
            stages.append(stage)
            results.append((rendition, names.media, names.playlist))
        }
        var audioQueues: [BoundedQueue<StageItem>] = []
        if plan.audioOnlyRendition, let audioTrack {
            let names = PackageNames.rendition(resolution: 0)
            let stage = try RenditionStage(audio: audioTrack, segmentSeconds: plan.segmentSeconds,
                                           path: directory.appendingPathComponent(names.media).path, queueCapacity: 1 << 20)
            stages.append(stage)
            audioQueues.append(stage.queue)
            results.append((nil, names.media, names.playlist))
        }
        let encodedQueues = stages.filter { $0.plan.map { !$0.copy } ?? false }.map(\.queue)
        let images = makesImages ? makeImageStage(still: still, capacity: capacity) : nil
        let video = report.videoStream
        let decoderThreads = decoderThreadsOverride ?? ThreadPlan.decoderThreads(
            width: video?.width ?? 0, height: video?.height ?? 0, fps: video?.framesPerSecond ?? 0,
            bitRate: video?.bitRate ?? report.bitRate)
        let sourceOutputs = SourceStage.Outputs(encoded: encodedQueues, copy: copyQueue, audioOnly: audioQueues,
                                                audioMuxed: !plan.splitAudio,
                                                pictures: images.map { [$0.queue] } ?? [], cascade: encoded.isEmpty ? nil : cascade)
        let source = try SourceStage(demuxer: demuxer, file: report.file, report: report, audio: audio.chain, audioCopy: audio.copy,
                                     still: still, outputs: sourceOutputs, segmentSeconds: plan.segmentSeconds,
                                     decoderThreads: decoderThreads)
        let imageOutput = LockedValue<ImageStage.Output?>(nil)

        let allStages = stages
        let failure = LockedValue<Error?>(nil)
        let outputs = LockedValue<[Int: RenditionStage.Output]>([:])
        let group = DispatchGroup()
        let stopAll: @Sendable (Error?) -> Void = { error in
            if let error { failure.update { $0 = $0 ?? error } }
            cancellation.cancel()
            for stage in allStages { stage.queue.cancel() }
            images?.queue.cancel()
        }
        let sourceBox = UncheckedBox(source)
        startThread(named: "sluice-source", group: group) {
            do {
                try sourceBox.value.run(cancellation: cancellation)
            } catch {
                stopAll(error)
            }
        }
        for (index, stage) in allStages.enumerated() {
            startThread(named: "sluice-\(stage.label)", group: group) {
                do {
                    if let output = try stage.run(cancellation: cancellation) {
                        // One step: two stages finishing together must not each write back a copy
                        // missing the other's output (the lost one then read as "cancelled").
                        outputs.update { $0[index] = output }
                    }
                } catch {
                    stopAll(error)
                }
            }
        }

        if let images {
            startThread(named: "sluice-images", group: group) {
                do {
                    imageOutput.value = try images.run(cancellation: cancellation)
                } catch {
                    stopAll(error)
                }
            }
        }

        let started = Date()
        let duration = max(report.expectedDuration ?? 0, 0.001)
        while group.wait(timeout: .now() + 0.25) == .timedOut {
            // A cancellation from outside (Ctrl-C, SIGTERM, a stall) sets only the flag: wake the
            // stages blocked on their queues too, or a producer waiting for room never returns.
            if cancellation.isCancelled { stopAll(nil) }
            let slowest = stages.min { $0.encodedTime < $1.encodedTime }
            let done = min(slowest?.encodedTime ?? 0, source.sourceTime, duration)
            let elapsed = Date().timeIntervalSince(started)
            let speed = elapsed > 0 ? done / elapsed : 0
            let eta = speed > 0 ? (duration - done) / speed : nil
            progress(TranscodeProgress(stage: .encoding, fraction: done / duration, speed: speed, eta: eta,
                                       currentRendition: slowest?.label, duration: duration))
        }
        if let error = failure.value { throw error }
        if cancellation.isCancelled { throw FFmpegError.cancelledByUser }
        let finished = outputs.value
        let renditions = try results.enumerated().map { index, entry in
            guard var output = finished[index] else { throw FFmpegError.cancelledByUser }
            if audioTrack != nil && (entry.plan == nil || !plan.splitAudio) { output.codecs.append(CodecString.aacLC) }
            return RenditionResult(plan: entry.plan, media: entry.media, playlist: entry.playlist, output: output)
        }
        return Result(renditions: renditions, images: imageOutput.value)
    }

    /// The one audio track: the source's AAC copied when the plan says so, else one encode.
    private func makeAudio(origin: Double) throws -> (chain: AudioChain?, copy: AudioCopy?) {
        guard let audioPlan = plan.audio, let stream = report.audioStream else { return (nil, nil) }
        if audioPlan.copy {
            return (nil, AudioCopy(stream: stream.index, track: try demuxer.trackFormat(stream: stream.index), origin: origin))
        }
        let encoder = try Encoder.audio(AudioEncoderSettings(codecName: audioPlan.codec, sampleRate: audioPlan.sampleRate,
                                                             channels: audioPlan.channels, bitRate: audioPlan.bitRate))
        let decoder = try demuxer.makeDecoder(stream: stream.index, threads: 1)
        return (try AudioChain(decoder: decoder, encoder: encoder, sampleRate: audioPlan.sampleRate, origin: origin), nil)
    }

    /// The consumer that makes the preview, thumbnail and storyboard, sized for the displayed picture.
    private func makeImageStage(still: FrameBox?, capacity: Int) -> ImageStage? {
        let size: (width: Int, height: Int)?
        if let still {
            size = still.withFrame { ($0.width, $0.height) }
        } else {
            size = report.videoStream?.displaySize
        }
        guard let size, size.width > 0, size.height > 0 else { return nil }
        return ImageStage(duration: report.expectedDuration ?? 0, width: size.width, height: size.height,
                          frameRate: report.videoStream?.framesPerSecond ?? 1, storyboard: still == nil, layout: storyboard,
                          queueCapacity: capacity)
    }

    private func encoderSettings(for rendition: RenditionPlan, threads: ThreadPlan.Threads) -> VideoEncoderSettings {
        var options = ["preset": pipeline.video.preset, "b_strategy": String(pipeline.video.bStrategy)]
        if let tune = pipeline.video.tune { options["tune"] = tune }
        if plan.isStillImage { options["tune"] = "stillimage" }
        if threads.count > 1, !threads.slices, pipeline.video.encoder == "libx264" {
            options["x264-params"] = "sync-lookahead=\(ThreadPlan.frameThreadLookahead)"
        }
        let video = report.videoStream
        let hdr = video?.isHDR ?? false
        return VideoEncoderSettings(
            codecName: pipeline.video.encoder, width: rendition.width, height: rendition.height, frameRate: rendition.fps,
            gopSize: rendition.keyframeInterval(seconds: plan.keyframeSeconds), maxBFrames: pipeline.video.bFrames,
            maxRate: rendition.maxBitrate, bufferSize: rendition.bufferSize,
            threads: threads.count, sliceThreads: threads.slices, options: options,
            sampleAspectRatio: (video?.rotation ?? 0) % 180 == 0 ? scaledSampleAspectRatio(for: rendition) : nil,
            colorPrimaries: hdr ? "bt709" : video?.colorPrimaries, colorTransfer: hdr ? "bt709" : video?.colorTransfer,
            colorSpace: hdr ? "bt709" : video?.colorSpace, colorRange: hdr ? "tv" : nil)
    }

    /// The source's pixel shape as the scaler leaves it at this rendition's size (the SPS must
    /// say what the frames carry).
    private func scaledSampleAspectRatio(for rendition: RenditionPlan) -> Rational? {
        guard let video = report.videoStream, let sar = video.sampleAspectRatio, let width = video.width,
              let height = video.height else { return nil }
        return Scaler.sampleAspectRatio(sar, from: (width, height), to: (rendition.width, rendition.height))
    }

    /// The given picture, else the cover art, decoded, else a plain background (when there is
    /// none or it cannot be decoded).
    private func stillPicture() throws -> FrameBox {
        if let stillImage, let picture = Self.firstPicture(of: stillImage) { return picture }
        if let cover = report.coverArt, let decoder = try? demuxer.makeDecoder(stream: cover.index, threads: 1) {
            var packet = try demuxer.attachedPicture(stream: cover.index)
            if let frame = decoder.firstFrame(from: { packet.take() }) { return FrameBox(frame) }
        }
        let background = LadderPlanner.stillImageBackground
        return FrameBox(try Frame.blankPicture(width: background.width, height: background.height))
    }

    /// The first picture of an image (or video) file.
    private static func firstPicture(of file: URL) -> FrameBox? {
        guard let image = try? Demuxer(path: file.path), let stream = image.streams.first(where: { $0.kind == .video }),
              let decoder = try? image.makeDecoder(stream: stream.index, threads: 1) else { return nil }
        let frame = decoder.firstFrame {
            while let packet = try? image.readPacket() {
                if packet.streamIndex == stream.index { return packet }
            }
            return nil
        }
        guard let frame else { return nil }
        return FrameBox(frame)
    }

    private func startThread(named name: String, group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Hands a non-Sendable value to exactly one other thread, which becomes its only user.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
