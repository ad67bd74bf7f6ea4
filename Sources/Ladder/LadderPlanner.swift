/// Builds the rendition ladder for a source and a pipeline (tiers.md, "Ladder rule").
public enum LadderPlanner {
    /// Still-image videos for audio uploads: at most 480p at 25 fps, as PeerTube's audio merge.
    public static let stillImageResolution = 480
    public static let stillImageFPS = 25
    /// PeerTube's default audio background is 850x480; 854 keeps 16:9 with even sides.
    public static let stillImageBackground = (width: 854, height: 480)

    /// The tier's ladder for `source`, or exactly the `requested` renditions (largest first, at
    /// the frame rates given; a resolution 0 asks for an audio-only rendition beside them).
    public static func plan(source: SourceSummary, pipeline: Pipeline, requested: [RenditionRequest]? = nil) -> LadderPlan {
        let allowCopy = pipeline.video.copyTopRung == .auto
        let audio = source.audio.map { AudioRule.plan(for: $0, encoder: pipeline.audio.encoder, allowCopy: allowCopy) }
        var renditions = videoRenditions(source: source, pipeline: pipeline, requested: requested)
        var copyRefusal: String?
        if source.hasVideo, var top = renditions.first {
            copyRefusal = allowCopy ? CopyGate.videoRefusal(source: source, top: top, maxFps: pipeline.maxFps) : "copyTopRung is never"
            if copyRefusal == nil, let bitRate = source.bitRate {
                top.copy = true
                top.maxBitrate = bitRate
                renditions[0] = top
            }
        }
        let audioOnly = audio != nil && (pipeline.splitAudio || requested?.contains { $0.resolution == 0 } == true)
        let perRenditionAudio = pipeline.splitAudio ? 0 : (audio?.bitRate ?? 0)
        let bitsPerSecond = renditions.reduce(0) { $0 + $1.maxBitrate + perRenditionAudio } + (audioOnly ? (audio?.bitRate ?? 0) : 0)
        var plan = LadderPlan(pipeline: pipeline.name, renditions: renditions, audio: audio,
                              splitAudio: pipeline.splitAudio && audio != nil, isStillImage: !source.hasVideo && !renditions.isEmpty,
                              segmentSeconds: pipeline.segmentSeconds, keyframeSeconds: pipeline.keyframeSeconds,
                              estimatedMaxBytes: Int64((Double(bitsPerSecond) * source.duration / 8).rounded(.up)),
                              copyRefusal: copyRefusal)
        plan.audioOnlyRendition = audioOnly
        return plan
    }

    private static func videoRenditions(source: SourceSummary, pipeline: Pipeline, requested: [RenditionRequest]?) -> [RenditionPlan] {
        if let width = source.width, let height = source.height {
            if let requested {
                let wanted = Set(requested.filter { $0.resolution > 0 }).sorted { $0.resolution > $1.resolution }
                return wanted.enumerated().map { index, request in
                    rendition((request.resolution, index == 0), width: width, height: height, fps: request.fps, sourceBitrate: source.bitRate)
                }
            }
            let sourceFPS = FrameRateRule.sourceFPS(source.framesPerSecond)
            return ladder(width: width, height: height, rungs: pipeline.rungs).map { rung in
                let fps = FrameRateRule.outputFPS(source: sourceFPS, resolution: rung.resolution, isTop: rung.isTop,
                                                  maxFps: pipeline.maxFps)
                return rendition(rung, width: width, height: height, fps: fps, sourceBitrate: source.bitRate)
            }
        }
        if let requested, !requested.contains(where: { $0.resolution > 0 }) { return [] }
        let picture = source.coverArt.map { ($0.width, $0.height) } ?? stillImageBackground
        if let requested {
            // What a runner's job asks for, exactly: PeerTube's own audio merge scales the picture
            // to the asked resolution at the asked fps, and so must an HLS job on an audio input.
            let wanted = Set(requested.filter { $0.resolution > 0 }).sorted { $0.resolution > $1.resolution }
            return wanted.enumerated().map { index, request in
                rendition((request.resolution, index == 0), width: picture.0, height: picture.1, fps: request.fps, sourceBitrate: nil)
            }
        }
        let cap = min(stillImageResolution, pipeline.rungs.max() ?? stillImageResolution)
        let fps = min(stillImageFPS, pipeline.maxFps)
        return ladder(width: picture.0, height: picture.1, rungs: [cap]).prefix(1).map { rung in
            rendition(rung, width: picture.0, height: picture.1, fps: fps, sourceBitrate: nil)
        }
    }

    /// The rungs for a displayed size: the top is the largest rung if the source reaches it,
    /// else the source's own resolution rounded up to even; then every rung strictly below.
    public static func ladder(width: Int, height: Int, rungs: [Int]) -> [(resolution: Int, isTop: Bool)] {
        let input = min(width, height)
        let largest = rungs.max() ?? input
        let top = input >= largest ? largest : toEven(input)
        return [(top, true)] + rungs.filter { $0 < top }.sorted(by: >).map { ($0, false) }
    }

    /// Output size for a rung: the short side is exactly the rung, the long side keeps the
    /// aspect ratio rounded to even (ffmpeg's `scale=-2:<res>`: `round(res * long / short / 2) * 2`).
    public static func size(width: Int, height: Int, resolution: Int) -> (width: Int, height: Int) {
        if width >= height {
            return (evenScaled(resolution, long: width, short: height), resolution)
        }
        return (resolution, evenScaled(resolution, long: height, short: width))
    }

    /// PeerTube's `toEven`: odd values round up.
    public static func toEven(_ value: Int) -> Int {
        value % 2 == 0 ? value : value + 1
    }

    private static func evenScaled(_ resolution: Int, long: Int, short: Int) -> Int {
        // av_rescale rounds half away from zero.
        let half = (Int64(resolution) * Int64(long) + Int64(short)) / (Int64(short) * 2)
        return max(2, Int(half) * 2)
    }

    private static func rendition(_ rung: (resolution: Int, isTop: Bool), width: Int, height: Int, fps: Int,
                                  sourceBitrate: Int?) -> RenditionPlan {
        let size = size(width: width, height: height, resolution: rung.resolution)
        let ratio = Double(width) / Double(height)
        let bitrate = BitrateRule.targetBitrate(resolution: rung.resolution, ratio: ratio, fps: fps, sourceBitrate: sourceBitrate)
        return RenditionPlan(resolution: rung.resolution, width: size.width, height: size.height, fps: fps,
                             maxBitrate: bitrate, isTop: rung.isTop)
    }
}
