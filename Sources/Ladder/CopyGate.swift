import Foundation

/// When the source's own packets can be used instead of encoding: PeerTube's quick-transcode
/// and HLS copy rules (`canDoQuickVideoTranscode`, `canDoQuickAudioTranscode`,
/// `canCopyForHLS`), plus what a player switching between copied and encoded rungs needs.
///
/// Each check answers with the reason a person reads in `sluice plan`, so a source that is
/// encoded says why.
public enum CopyGate {
    /// A copied rung keeps the source's keyframes and can only cut segments on them: a source
    /// with rarer keyframes would make segments too long to switch and share well.
    public static let maxKeyframeGap = 10.0
    /// PeerTube's lowest frame rate for a copy.
    public static let minimumFPS = 2.0
    /// PeerTube copies AAC up to this bitrate (`getMaxAudioBitrate`).
    public static let maxAudioBitRate = 384_000
    static let copyableProfiles: Set<String> = ["Baseline", "Constrained Baseline", "Main", "High"]

    /// Why the top rung cannot be the source's video, or nil when it can. Keyframes are
    /// checked last, so they need only be looked up when everything else passes.
    public static func videoRefusal(source: SourceSummary, top: RenditionPlan, maxFps: Int) -> String? {
        guard let video = source.video, let width = source.width, let height = source.height else { return "no video to copy" }
        return formatRefusal(video) ?? pictureRefusal(video, width: width, height: height, top: top)
            ?? timingRefusal(source, top: top, maxFps: maxFps) ?? keyframeRefusal(video.keyframes, fps: top.fps)
    }

    /// The refusal ``videoRefusal(source:top:maxFps:)`` gives when only the keyframes are unknown.
    public static let keyframesUnknown = "keyframe spacing unknown"

    private static func formatRefusal(_ video: VideoSource) -> String? {
        if video.codec != "h264" { return "codec \(video.codec), not H.264" }
        guard let profile = video.profile, copyableProfiles.contains(profile) else {
            return "H.264 profile \(video.profile ?? "unknown"), not Baseline, Main or High"
        }
        if video.pixelFormat != "yuv420p" { return "pixel format \(video.pixelFormat ?? "unknown"), not 8-bit 4:2:0 (yuv420p)" }
        if !video.isLengthPrefixed { return "H.264 in Annex B form (as in MPEG-TS), which fragmented MP4 does not carry" }
        return nil
    }

    private static func pictureRefusal(_ video: VideoSource, width: Int, height: Int, top: RenditionPlan) -> String? {
        if video.rotation != 0 { return "rotated \(video.rotation)°: the picture must be turned upright" }
        if video.isInterlaced { return "interlaced: it must be deinterlaced" }
        if let transfer = video.hdrTransfer { return "HDR (\(transfer)): it must be tone-mapped to SDR" }
        if let sar = video.nonSquarePixels { return "non-square pixels (SAR \(sar))" }
        if top.width != width || top.height != height {
            return "the top rung is \(top.width)x\(top.height), the source \(width)x\(height)"
        }
        return nil
    }

    private static func timingRefusal(_ source: SourceSummary, top: RenditionPlan, maxFps: Int) -> String? {
        guard let fps = source.framesPerSecond, fps > 0 else { return "frame rate unknown" }
        if fps < minimumFPS { return String(format: "frame rate %.2f fps under PeerTube's minimum of 2", fps) }
        if fps > Double(maxFps) + 0.5 || abs(fps - Double(top.fps)) > 0.5 {
            return String(format: "frame rate %.2f fps must become %d fps", fps, top.fps)
        }
        guard let bitRate = source.bitRate, bitRate > 0, let width = source.width, let height = source.height else {
            return "bitrate unknown"
        }
        let limit = BitrateRule.maximumBitrate(resolution: top.resolution, ratio: Double(width) / Double(height), fps: top.fps)
        if bitRate > limit { return "bitrate \(megabits(bitRate)) over the \(megabits(limit)) limit" }
        return nil
    }

    /// A measured frame rate this far from the planned one is a variable frame rate.
    static let frameRateTolerance = 0.05

    private static func keyframeRefusal(_ keyframes: KeyframeSpacing?, fps: Int) -> String? {
        guard let keyframes else { return keyframesUnknown }
        if !keyframes.startsWithKeyframe { return "the video does not start on a keyframe" }
        if let measured = keyframes.measuredFPS, abs(measured - Double(fps)) > frameRateTolerance * Double(fps) {
            return String(format: "variable frame rate: %.1f fps on average, not %d", measured, fps)
        }
        if keyframes.longestGap > maxKeyframeGap {
            return String(format: "keyframes up to %.1f s apart (limit %.0f s)", keyframes.longestGap, maxKeyframeGap)
        }
        return nil
    }

    /// Why the source's audio cannot be copied into the renditions, or nil when it can: AAC-LC,
    /// mono or stereo with a known layout, at most 384 kb/s.
    public static func audioRefusal(_ audio: SourceSummary.AudioSource) -> String? {
        if audio.codec != "aac" { return "codec \(audio.codec), not AAC" }
        if audio.profile != "LC" { return "AAC profile \(audio.profile ?? "unknown"), not LC" }
        if !audio.hasDecoderConfig { return "AAC in ADTS form (as in MPEG-TS), which MP4 does not carry" }
        if audio.channels < 1 || audio.channels > 2 { return "\(audio.channels) channels, not mono or stereo" }
        if audio.channelLayout == nil || audio.channelLayout == "unknown" || audio.channelLayout == "quad" {
            return "channel layout \(audio.channelLayout ?? "unknown")"
        }
        guard let bitRate = audio.bitRate, bitRate > 0 else { return "bitrate unknown" }
        if bitRate > maxAudioBitRate { return "bitrate \(bitRate / 1000) kb/s over 384 kb/s" }
        return nil
    }

    private static func megabits(_ bitsPerSecond: Int) -> String {
        String(format: "%.1f Mb/s", Double(bitsPerSecond) / 1_000_000)
    }
}
