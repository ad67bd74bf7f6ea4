import Testing
@testable import Ladder

@Suite struct LadderPlannerTests {
    let large = PipelineCatalog.builtIn("large")!
    let mid = PipelineCatalog.builtIn("mid")!
    let small = PipelineCatalog.builtIn("small")!

    func source(_ width: Int, _ height: Int, fps: Double = 25, bitRate: Int? = 5_000_000) -> SourceSummary {
        SourceSummary(width: width, height: height, framesPerSecond: fps, bitRate: bitRate, duration: 10,
                      audio: .init(codec: "aac", bitRate: 128_000, sampleRate: 48000, channels: 2))
    }

    @Test func topRungIsTheTiersLargestWhenTheSourceReachesIt() {
        let plan = LadderPlanner.plan(source: source(1088, 1088), pipeline: large)
        #expect(plan.renditions.map(\.resolution) == [1080, 720, 480, 360, 240, 144])
        #expect(plan.renditions.first?.isTop == true)
    }

    @Test func smallerSourcesTopAtTheirOwnResolutionWithoutUpscaling() {
        #expect(LadderPlanner.plan(source: source(852, 480), pipeline: mid).renditions.map(\.resolution) == [480, 360, 240])
        #expect(LadderPlanner.plan(source: source(1280, 720), pipeline: small).renditions.map(\.resolution) == [480, 240])
        #expect(LadderPlanner.plan(source: source(640, 360), pipeline: large).renditions.map(\.resolution) == [360, 240, 144])
    }

    @Test func oddResolutionsRoundUpToEven() {
        #expect(LadderPlanner.plan(source: source(10, 8), pipeline: large).renditions.map(\.resolution) == [8])
        #expect(LadderPlanner.plan(source: source(853, 479), pipeline: mid).renditions.map(\.resolution) == [480, 360, 240])
        #expect(LadderPlanner.toEven(7) == 8)
        #expect(LadderPlanner.toEven(8) == 8)
    }

    @Test func sizesKeepTheAspectWithTheNamedSideExact() {
        #expect(LadderPlanner.size(width: 1280, height: 720, resolution: 480) == (854, 480))
        #expect(LadderPlanner.size(width: 1920, height: 1080, resolution: 144) == (256, 144))
        #expect(LadderPlanner.size(width: 720, height: 1280, resolution: 360) == (360, 640))
        #expect(LadderPlanner.size(width: 853, height: 479, resolution: 480) == (854, 480))
        #expect(LadderPlanner.size(width: 1000, height: 1000, resolution: 240) == (240, 240))
    }

    @Test func portraitUsesTheWidthAsResolution() {
        let plan = LadderPlanner.plan(source: source(1080, 1920), pipeline: mid)
        #expect(plan.renditions.map(\.width) == [720, 480, 360, 240])
        #expect(plan.renditions.map(\.height) == [1280, 854, 640, 426])
    }

    @Test func audioOnlySourcesBecomeOneStillImageRungAt480pAnd25fps() {
        var summary = source(0, 0)
        summary.width = nil
        summary.height = nil
        let plan = LadderPlanner.plan(source: summary, pipeline: large)
        #expect(plan.isStillImage)
        #expect(plan.renditions.count == 1)
        #expect(plan.renditions[0].resolution == 480)
        #expect(plan.renditions[0].fps == 25)
        summary.coverArt = .init(width: 300, height: 300)
        let cover = LadderPlanner.plan(source: summary, pipeline: small)
        #expect(cover.renditions.map(\.resolution) == [300])
        #expect(cover.renditions[0].fps == 25)
    }

    @Test func splitAudioEstimatesAudioOnce() {
        var pipeline = mid
        pipeline.splitAudio = true
        let plan = LadderPlanner.plan(source: source(1280, 720), pipeline: pipeline)
        #expect(plan.splitAudio)
        let video = plan.renditions.reduce(0) { $0 + $1.maxBitrate }
        #expect(plan.estimatedMaxBytes == Int64((Double(video + 128_000) * 10 / 8).rounded(.up)))
    }
}
