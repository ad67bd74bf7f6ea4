import Testing
@testable import Ladder

@Suite struct BitrateRuleTests {
    // peertube-format.md section 4: at 16:9 and 30 fps, 720p averages 3.04 Mb/s, 1080p 6.22 Mb/s, 480p 1.47 Mb/s.
    @Test func averageMatchesPeerTubesTable() {
        let ratio = 16.0 / 9.0
        #expect(BitrateRule.averageBitrate(resolution: 720, ratio: ratio, fps: 30) == 3_041_280)
        #expect(BitrateRule.averageBitrate(resolution: 1080, ratio: ratio, fps: 30) == 6_220_800)
        // Float arithmetic as in PeerTube's JS: 480 * 853.33 * 30 * 0.12 floors to 1 474 559.
        #expect(BitrateRule.averageBitrate(resolution: 480, ratio: ratio, fps: 30) == 1_474_559)
        #expect(BitrateRule.averageBitrate(resolution: 720, ratio: ratio, fps: 60) == 6_082_560)
    }

    @Test func minimumIsTwoHundredthsOfABitPerPixel() {
        #expect(BitrateRule.minimumBitrate(resolution: 720, ratio: 16.0 / 9.0, fps: 30) == 552_960)
    }

    @Test func targetIsCappedBySourceBitrateButNotBelowMinimum() {
        let ratio = 16.0 / 9.0
        #expect(BitrateRule.targetBitrate(resolution: 720, ratio: ratio, fps: 30, sourceBitrate: 100_000_000) == 3_041_280)
        #expect(BitrateRule.targetBitrate(resolution: 720, ratio: ratio, fps: 30, sourceBitrate: 1_000_000) == 1_300_000)
        #expect(BitrateRule.targetBitrate(resolution: 720, ratio: ratio, fps: 30, sourceBitrate: 35_000) == 552_960)
        #expect(BitrateRule.targetBitrate(resolution: 720, ratio: ratio, fps: 30, sourceBitrate: nil) == 3_041_280)
    }

    @Test func portraitUsesTheInverseRatio() {
        #expect(BitrateRule.averageBitrate(resolution: 720, ratio: 9.0 / 16.0, fps: 30)
            == BitrateRule.averageBitrate(resolution: 720, ratio: 16.0 / 9.0, fps: 30))
    }

    @Test func tinyResolutionsFallBackTo192k() {
        #expect(BitrateRule.averageBitrate(resolution: 8, ratio: 1.25, fps: 25) == 192_000)
    }

    @Test func audioBitrateFollowsPeerTubesTable() {
        #expect(AudioRule.bitRate(codec: "vorbis", sourceBitRate: nil) == 256_000)
        #expect(AudioRule.bitRate(codec: "aac", sourceBitRate: 500_000) == 384_000)
        #expect(AudioRule.bitRate(codec: "aac", sourceBitRate: 160_000) == 160_000)
        #expect(AudioRule.bitRate(codec: "mp3", sourceBitRate: 192_000) == 128_000)
        #expect(AudioRule.bitRate(codec: "mp3", sourceBitRate: 256_000) == 256_000)
        #expect(AudioRule.bitRate(codec: "flac", sourceBitRate: 900_000) == 384_000)
        #expect(AudioRule.sampleRate(source: 96000) == 96000)
        #expect(AudioRule.sampleRate(source: 47999) == 48000)
    }
}
