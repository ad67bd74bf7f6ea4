/// Builds the rendition ladder for a source and a pipeline (tiers.md, "Ladder rule").
public enum LadderPlanner {
    /// Still-image videos for audio uploads: at most 480p at 25 fps, as PeerTube's audio merge.
    public static let stillImageResolution = 480
    public static let stillImageFPS = 25
    /// PeerTube's default audio background is 850x480; 854 keeps 16:9 with even sides.
    public static let stillImageBackground = (width: 854, height: 480)

    public static func plan(source: SourceSummary, pipeline: Pipeline) -> LadderPlan {
        let allowCopy = pipeline.video.copyTopRung == .auto
        let audio = source.audio.map { AudioRule.plan(for: $0, encoder: pipeline.audio.encoder, allowCopy: allowCopy) }
        var renditions: [RenditionPlan]
        var copyRefusal: String?
        let isStillImage = !source.hasVideo
        if let width = source.width, let height = source.height {
            let sourceFPS = FrameRateRule.sourceFPS(source.framesPerSecond)
            renditions = ladder(width: width, height: height, rungs: pipeline.rungs).map { rung in
                let fps = FrameRateRule.outputFPS(source: sourceFPS, resolution: rung.resolution, isTop: rung.isTop,
                                                  maxFps: pipeline.maxFps)
                return rendition(rung, width: width, height: height, fps: fps, sourceBitrate: source.bitRate)
            }
            if var top = renditions.first {
                copyRefusal = allowCopy ? CopyGate.videoRefusal(source: source, top: top, maxFps: pipeline.maxFps) : "copyTopRung is never"
                if copyRefusal == nil, let bitRate = source.bitRate {
                    top.copy = true
                    top.maxBitrate = bitRate
                    renditions[0] = top
                }
            }
        } else {
            let picture = source.coverArt.map { ($0.width, $0.height) } ?? stillImageBackground
            let cap = min(stillImageResolution, pipeline.rungs.max() ?? stillImageResolution)
            let fps = min(stillImageFPS, pipeline.maxFps)
            renditions = ladder(width: picture.0, height: picture.1, rungs: [cap]).prefix(1).map { rung in
                rendition(rung, width: picture.0, height: picture.1, fps: fps, sourceBitrate: nil)
            }
        }
        let perRenditionAudio = pipeline.splitAudio ? 0 : (audio?.bitRate ?? 0)
        let bitsPerSecond = renditions.reduce(0) { $0 + $1.maxBitrate + perRenditionAudio }
            + (pipeline.splitAudio ? (audio?.bitRate ?? 0) : 0)
        return LadderPlan(pipeline: pipeline.name, renditions: renditions, audio: audio,
                          splitAudio: pipeline.splitAudio && audio != nil, isStillImage: isStillImage,
                          segmentSeconds: pipeline.segmentSeconds, keyframeSeconds: pipeline.keyframeSeconds,
                          estimatedMaxBytes: Int64((Double(bitsPerSecond) * source.duration / 8).rounded(.up)),
                          copyRefusal: copyRefusal)
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
