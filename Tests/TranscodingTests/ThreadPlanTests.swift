import Ladder
import Testing
@testable import Transcoding

@Suite struct ThreadPlanTests {
    func rung(_ width: Int, _ height: Int, fps: Int = 25) -> RenditionPlan {
        RenditionPlan(resolution: min(width, height), width: width, height: height, fps: fps, maxBitrate: 1_000_000, isTop: false)
    }

    var largeLadder: [RenditionPlan] {
        [rung(1920, 1080), rung(1280, 720), rung(854, 480), rung(640, 360), rung(426, 240), rung(256, 144)]
    }

    @Test func theDominantRungGetsSliceThreadsAndTheRestOneThread() {
        let threads = ThreadPlan.encoderThreads(for: largeLadder, cores: 2, configured: 0)
        #expect(threads.first == ThreadPlan.Threads(count: 2, slices: true))
        #expect(threads.dropFirst().allSatisfy { $0 == ThreadPlan.Threads(count: 1, slices: false) })
    }

    @Test func framesParallelismGivesTheDominantRungFrameThreads() {
        let threads = ThreadPlan.encoderThreads(for: largeLadder, cores: 2, configured: 0, parallelism: .frames)
        #expect(threads.first == ThreadPlan.Threads(count: 2, slices: false))
        #expect(threads.dropFirst().allSatisfy { $0.count == 1 })
    }

    @Test func aDominantRungOf720pOrLessGetsFrameThreads() {
        // The runner's second pass: the ladder below the published 1080p rung; 720p is 54 %.
        let threads = ThreadPlan.encoderThreads(for: Array(largeLadder.dropFirst()), cores: 2, configured: 0)
        #expect(threads.first == ThreadPlan.Threads(count: 2, slices: false))
        let portrait = ThreadPlan.encoderThreads(for: [rung(720, 1280), rung(480, 854)], cores: 2, configured: 0)
        #expect(portrait.first == ThreadPlan.Threads(count: 2, slices: false))
    }

    @Test func aRungEncodedAloneGetsFrameThreadsAsX264WouldPickThem() {
        // The runner's publishing pass: the top rung only; slices would leave the cores idle between frames.
        #expect(ThreadPlan.encoderThreads(for: [largeLadder[0]], cores: 2, configured: 0) == [ThreadPlan.Threads(count: 3, slices: false)])
        #expect(ThreadPlan.encoderThreads(for: [largeLadder[0]], cores: 4, configured: 0) == [ThreadPlan.Threads(count: 6, slices: false)])
    }

    @Test func moreCoresSpreadTheLadderWithoutExtraThreads() {
        // 1080p is 55 % of the pixels: on 4 cores it needs 3 threads; 720p (24 %) fits one core.
        let threads = ThreadPlan.encoderThreads(for: largeLadder, cores: 4, configured: 0)
        #expect(threads.map(\.count) == [3, 1, 1, 1, 1, 1])
    }

    @Test func oneCoreOrAConfiguredCountIsTakenAsIs() {
        #expect(ThreadPlan.encoderThreads(for: largeLadder, cores: 1, configured: 0).allSatisfy { $0.count == 1 && !$0.slices })
        #expect(ThreadPlan.encoderThreads(for: largeLadder, cores: 2, configured: 4).allSatisfy { $0.count == 4 && !$0.slices })
    }

    @Test func typicalUploadsDecodeOnOneThreadAndHeavyOnesOnTwo() {
        #expect(ThreadPlan.decoderThreads(width: 1920, height: 1080, fps: 25, bitRate: 8_000_000) == 1)
        #expect(ThreadPlan.decoderThreads(width: 1920, height: 1080, fps: 25, bitRate: 80_000_000) == 2)
        #expect(ThreadPlan.decoderThreads(width: 3840, height: 2160, fps: 25, bitRate: 8_000_000) == 2)
        #expect(ThreadPlan.decoderThreads(width: 1920, height: 1080, fps: 60, bitRate: nil) == 2)
    }
}
