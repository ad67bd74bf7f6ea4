import Testing
@testable import Ladder

@Suite struct FrameRateRuleTests {
    @Test(arguments: [(29.97, 30), (23.976, 24), (59.94, 60), (25.0, 25), (nil as Double?, 25), (0.0, 25)])
    func sourceFPSRoundsToAnInteger(rate: Double?, expected: Int) {
        #expect(FrameRateRule.sourceFPS(rate) == expected)
    }

    @Test func lowerRungsBelow720DropHighFrameRates() {
        #expect(FrameRateRule.outputFPS(source: 60, resolution: 480, isTop: false, maxFps: 60) == 30)
        #expect(FrameRateRule.outputFPS(source: 50, resolution: 360, isTop: false, maxFps: 60) == 25)
        #expect(FrameRateRule.outputFPS(source: 48, resolution: 240, isTop: false, maxFps: 60) == 24)
        // No standard rate divides 59; 25 leaves the smallest remainder (9).
        #expect(FrameRateRule.outputFPS(source: 59, resolution: 240, isTop: false, maxFps: 60) == 25)
    }

    @Test func topRungAnd720AndAboveKeepTheSourceRate() {
        #expect(FrameRateRule.outputFPS(source: 60, resolution: 480, isTop: true, maxFps: 60) == 60)
        #expect(FrameRateRule.outputFPS(source: 60, resolution: 720, isTop: false, maxFps: 60) == 60)
        #expect(FrameRateRule.outputFPS(source: 25, resolution: 240, isTop: false, maxFps: 60) == 25)
    }

    @Test func ratesAboveTheTierMaximumAreBroughtDown() {
        #expect(FrameRateRule.outputFPS(source: 120, resolution: 1080, isTop: true, maxFps: 60) == 60)
        #expect(FrameRateRule.outputFPS(source: 100, resolution: 1080, isTop: true, maxFps: 60) == 50)
        #expect(FrameRateRule.outputFPS(source: 60, resolution: 480, isTop: true, maxFps: 30) == 30)
        // Above the maximum only 50, 60 and the maximum itself are candidates.
        #expect(FrameRateRule.outputFPS(source: 50, resolution: 480, isTop: true, maxFps: 30) == 30)
    }

    @Test func atLeastOneFramePerSecond() {
        #expect(FrameRateRule.outputFPS(source: 0, resolution: 480, isTop: true, maxFps: 60) == 1)
    }
}
