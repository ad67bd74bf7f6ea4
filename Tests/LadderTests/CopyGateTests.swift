import Testing
@testable import Ladder

@Suite struct CopyGateTests {
    let large = PipelineCatalog.builtIn("large")!

    /// A web-ready 1080p25 upload: H.264 High 4:2:0 at 6 Mb/s, keyframes every 2.64 s, AAC-LC stereo.
    func webReady(_ change: (inout SourceSummary) -> Void = { _ in }) -> SourceSummary {
        var source = SourceSummary(
            width: 1920, height: 1080, framesPerSecond: 25, bitRate: 6_000_000, duration: 30,
            audio: .init(codec: "aac", bitRate: 128_000, sampleRate: 48000, channels: 2, profile: "LC", channelLayout: "stereo"),
            video: VideoSource(codec: "h264", profile: "High", pixelFormat: "yuv420p",
                               keyframes: KeyframeSpacing(longestGap: 2.64, startsWithKeyframe: true)))
        change(&source)
        return source
    }

    @Test func aCompliantSourceIsCopiedIntoTheTopRungOnly() {
        let plan = LadderPlanner.plan(source: webReady(), pipeline: large)
        #expect(plan.copyRefusal == nil)
        #expect(plan.renditions.map(\.copy) == [true, false, false, false, false, false])
        #expect(plan.renditions[0].maxBitrate == 6_000_000)
        #expect(plan.audio?.copy == true && plan.audio?.bitRate == 128_000 && plan.audio?.copyRefusal == nil)
    }

    @Test func theBitrateLimitIsPeerTubesTheoreticalMaximum() {
        #expect(BitrateRule.maximumBitrate(resolution: 1080, ratio: 16.0 / 9.0, fps: 25) == 8_812_800)
        #expect(BitrateRule.maximumBitrate(resolution: 720, ratio: 16.0 / 9.0, fps: 30) == 5_253_120)
        let plan = LadderPlanner.plan(source: webReady { $0.bitRate = 14_500_000 }, pipeline: large)
        #expect(plan.copyRefusal == "bitrate 14.5 Mb/s over the 8.8 Mb/s limit")
        #expect(!plan.copiesTopRung)
    }

    static let refusals: [(String, @Sendable (inout SourceSummary) -> Void)] = [
        ("codec hevc, not H.264", { $0.video?.codec = "hevc" }),
        ("H.264 profile High 10, not Baseline, Main or High", { $0.video?.profile = "High 10" }),
        ("pixel format yuv422p, not 8-bit 4:2:0", { $0.video?.pixelFormat = "yuv422p" }),
        ("Annex B", { $0.video?.isLengthPrefixed = false }),
        ("rotated 90°", { $0.video?.rotation = 90 }),
        ("interlaced", { $0.video?.isInterlaced = true }),
        ("HDR (smpte2084)", { $0.video?.hdrTransfer = "smpte2084" }),
        ("non-square pixels (SAR 4:3)", { $0.video?.nonSquarePixels = "4:3" }),
        ("the top rung is 1920x1080, the source 2560x1440", { $0.width = 2560; $0.height = 1440 }),
        ("the top rung is 854x480, the source 853x479", { $0.width = 853; $0.height = 479 }),
        ("frame rate 120.00 fps must become 60 fps", { $0.framesPerSecond = 120 }),
        ("frame rate 1.00 fps under PeerTube's minimum", { $0.framesPerSecond = 1 }),
        ("bitrate unknown", { $0.bitRate = nil }),
        ("keyframe spacing unknown", { $0.video?.keyframes = nil }),
        ("keyframes up to 60.0 s apart (limit 10 s)", { $0.video?.keyframes?.longestGap = 60 }),
        ("does not start on a keyframe", { $0.video?.keyframes?.startsWithKeyframe = false }),
        ("variable frame rate: 16.9 fps on average, not 25", { $0.video?.keyframes?.measuredFPS = 16.92 }),
    ]

    @Test(arguments: 0..<refusals.count)
    func eachFailedRuleEncodesTheTopRungAndSaysWhy(index: Int) {
        let (reason, change) = Self.refusals[index]
        let plan = LadderPlanner.plan(source: webReady(change), pipeline: large)
        #expect(!plan.copiesTopRung)
        #expect(plan.copyRefusal?.contains(reason) == true, "\(plan.copyRefusal ?? "copied") should say \(reason)")
        // The audio rule holds on its own: compliant AAC is still copied.
        #expect(plan.audio?.copy == true)
    }

    static let audioRefusals: [(String, @Sendable (inout SourceSummary.AudioSource) -> Void)] = [
        ("codec opus, not AAC", { $0.codec = "opus" }),
        ("AAC profile HE-AAC, not LC", { $0.profile = "HE-AAC" }),
        ("6 channels, not mono or stereo", { $0.channels = 6; $0.channelLayout = "5.1" }),
        ("channel layout unknown", { $0.channelLayout = nil }),
        ("bitrate 448 kb/s over 384 kb/s", { $0.bitRate = 448_000 }),
        ("bitrate unknown", { $0.bitRate = nil }),
        ("AAC in ADTS form (as in MPEG-TS), which MP4 does not carry", { $0.hasDecoderConfig = false }),
    ]

    @Test(arguments: 0..<audioRefusals.count)
    func audioOutsidePeerTubesCopyRuleIsEncodedToStereo(index: Int) {
        let (reason, change) = Self.audioRefusals[index]
        let plan = LadderPlanner.plan(source: webReady { source in
            if var audio = source.audio { change(&audio); source.audio = audio }
        }, pipeline: large)
        #expect(plan.audio?.copy == false && plan.audio?.channels == 2 && plan.audio?.codec == "aac")
        #expect(plan.audio?.copyRefusal == reason)
        #expect(plan.copiesTopRung, "the video rule holds on its own")
    }

    @Test func monoAACIsCopiedAsMono() {
        let plan = LadderPlanner.plan(source: webReady { $0.audio?.channels = 1; $0.audio?.channelLayout = "mono" }, pipeline: large)
        #expect(plan.audio?.copy == true && plan.audio?.channels == 1)
    }

    @Test func copyTopRungNeverEncodesEverything() {
        var pipeline = large
        pipeline.video.copyTopRung = .never
        let plan = LadderPlanner.plan(source: webReady(), pipeline: pipeline)
        #expect(!plan.copiesTopRung && plan.audio?.copy == false)
        #expect(plan.copyRefusal == "copyTopRung is never")
    }

    @Test func thePipelineKeyIsReadAndChecked() throws {
        let never = try Pipeline(yaml: "rungs: [480]\nvideo:\n  copyTopRung: never\n", defaultName: "t", source: "t.yaml")
        #expect(never.video.copyTopRung == .never)
        #expect(try Pipeline(yaml: "rungs: [480]\n", defaultName: "t", source: "t.yaml").video.copyTopRung == .auto)
        #expect(throws: PipelineError.self) {
            try Pipeline(yaml: "rungs: [480]\nvideo:\n  copyTopRung: sometimes\n", defaultName: "t", source: "t.yaml")
        }
    }
}
