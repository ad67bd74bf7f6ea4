import Testing
@testable import Transcoding

@Suite struct FrameRateConverterTests {
    /// Runs frames at `times` ending at `end` and returns, per output slot, which input frame shows.
    func schedule(_ times: [Double], end: Double, fps: Int) -> [Int] {
        var converter = FrameRateConverter(fps: fps)
        var shown: [Int] = []
        for (index, time) in times.enumerated() {
            let slots = converter.push(time: time)
            shown += Array(repeating: index - 1, count: slots.count)
        }
        shown += Array(repeating: times.count - 1, count: converter.finish(endTime: end).count)
        return shown
    }

    @Test func sameRateIsOneToOne() {
        let times = (0..<50).map { Double($0) / 25 }
        #expect(schedule(times, end: 2, fps: 25) == Array(0..<50))
    }

    @Test func halvingTheRateKeepsEveryOtherFrame() {
        let times = (0..<120).map { Double($0) / 60 }
        let shown = schedule(times, end: 2, fps: 30)
        #expect(shown.count == 60)
        #expect(shown.prefix(4) == [0, 2, 4, 6])
    }

    @Test func variableFrameRateBecomesConstant() {
        // 10 fps for one second, then a 0.5 s gap, then 20 fps: a 25 fps output repeats and drops as needed.
        let times = (0..<10).map { Double($0) / 10 } + [1.5] + (1..<10).map { 1.5 + Double($0) / 20 }
        let shown = schedule(times, end: 2.0, fps: 25)
        #expect(shown.count == 50)
        #expect(shown == shown.sorted())
        #expect(shown.first == 0 && shown.last == times.count - 1)
    }

    @Test func aSingleFrameStillFillsOneSlot() {
        #expect(schedule([0], end: 0, fps: 25) == [0])
    }

    @Test func aLastFrameThatRoundsPastTheEndIsDropped() {
        // 60 fps into 30: frame 239 (t = 3.983) rounds to slot 120, past the 4 s end.
        let times = (0..<240).map { Double($0) / 60 }
        #expect(schedule(times, end: 4, fps: 30).count == 120)
    }

    @Test func normalizationFiltersOnlyWhatIsNeeded() {
        #expect(VideoNormalization(rotation: 0, interlaced: false, hdrTransfer: nil).filterDescription == nil)
        #expect(VideoNormalization(rotation: 90, interlaced: false, hdrTransfer: nil).filterDescription == "transpose=clock")
        #expect(VideoNormalization(rotation: 270, interlaced: false, hdrTransfer: nil).filterDescription == "transpose=cclock")
        #expect(VideoNormalization(rotation: 180, interlaced: true, hdrTransfer: nil).filterDescription
            == "bwdif=mode=send_frame:parity=auto:deint=all,hflip,vflip")
        let hdr = VideoNormalization(rotation: 0, interlaced: false, hdrTransfer: "smpte2084").filterDescription ?? ""
        #expect(hdr.hasPrefix("zscale=tin=smpte2084") && hdr.contains("tonemap=tonemap=hable") && hdr.hasSuffix("format=yuv420p"))
    }
}
