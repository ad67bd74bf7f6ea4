import Testing
@testable import Packaging

@Suite struct BandwidthTests {
    @Test func peakIsTheBusiestWindowOfHalfToOneAndAHalfTargets() {
        // 4 s segments of 100 kB, one of 300 kB: the peak is that segment alone (4 s is within 2..6 s).
        let segments = [100_000, 300_000, 100_000].enumerated().map { index, bytes in
            Segment(duration: 4, offset: Int64(index * 400_000), length: Int64(bytes))
        }
        #expect(Bandwidth.peak(of: segments, targetDuration: 4) == 600_000)
        #expect(Bandwidth.average(of: segments) == 333_334)
    }

    @Test func shortTrailingSegmentsDoNotInflateThePeak() {
        // A 0.04 s last segment on its own is below half the target, so it only counts with its neighbour.
        let segments = [Segment(duration: 4, offset: 0, length: 100_000), Segment(duration: 0.04, offset: 100_000, length: 20_000)]
        #expect(Bandwidth.peak(of: segments, targetDuration: 4) == Int((120_000.0 * 8 / 4.04).rounded(.up)))
    }

    @Test func videosShorterThanHalfATargetUseTheirOverallRate() {
        let segments = [Segment(duration: 1, offset: 0, length: 10_000)]
        #expect(Bandwidth.peak(of: segments, targetDuration: 4) == 80_000)
    }
}
