import Testing
@testable import Transcoding

@Suite struct KeyframeAlignmentTests {
    @Test func cutsOnTheFirstSourceKeyframeAtOrAfterEachMark() {
        var alignment = KeyframeAlignment(segmentSeconds: 4)
        let keyframes = [0, 2.64, 5.28, 7.92, 10.56, 13.2, 15.84]
        let cuts = keyframes.filter { alignment.keyframe(at: $0) }
        #expect(cuts == [5.28, 10.56, 13.2])  // the marks at 4, 8 and 12 s
    }

    @Test func aLongGapCoversSeveralMarksWithOneCut() {
        var alignment = KeyframeAlignment(segmentSeconds: 4)
        let cuts = [0, 9.0, 10.0, 12.0].filter { alignment.keyframe(at: $0) }
        #expect(cuts == [9.0, 12.0])
    }

    @Test func aKeyframeJustUnderAMarkByRoundingCountsAsOnIt() {
        var alignment = KeyframeAlignment(segmentSeconds: 4)
        let cut = alignment.keyframe(at: 3.9995)
        #expect(cut)
    }

    @Test func picturesGetTheMarkOfTheirKeyframeAndALostOneMovesOn() {
        var alignment = KeyframeAlignment(segmentSeconds: 4)
        _ = alignment.keyframe(at: 0)
        _ = alignment.keyframe(at: 4.0)
        let marks = [0, 0.04, 4.04, 4.08].map { alignment.mark(forPictureAt: $0) }
        // The picture at 4.0 was lost to corruption: the next one carries the cut.
        #expect(marks == [.keyframe, .none, .cut, .none])
    }
}

@Suite struct KeyframePlacementTests {
    @Test func onItsOwnGridEveryRenditionCutsOnTheSameSlots() {
        let placement = KeyframePlacement(interval: 50, segmentPeriod: 100, alignedToSource: false)
        let decisions = (0..<201).map { placement.decide(slot: Int64($0), mark: .none) }
        #expect(decisions.indices.filter { decisions[$0].keyframe } == [0, 50, 100, 150, 200])
        #expect(decisions.indices.filter { decisions[$0].cut } == [100, 200])
    }

    @Test func alignedToACopyItFollowsTheSourceAndFillsLongGaps() {
        let placement = KeyframePlacement(interval: 50, segmentPeriod: 100, alignedToSource: true)
        var keyframes: [Int] = []
        var cuts: [Int] = []
        for slot in 0..<300 {
            let mark: KeyframeMark = slot == 0 ? .keyframe : slot == 132 || slot == 264 ? .cut : slot == 66 ? .keyframe : .none
            let decision = placement.decide(slot: Int64(slot), mark: mark)
            if decision.keyframe { keyframes.append(slot) }
            if decision.cut { cuts.append(slot) }
        }
        #expect(cuts == [132, 264])
        #expect(keyframes == [0, 50, 66, 116, 132, 182, 232, 264])
    }

    @Test func aDroppedPicturesMarkMovesToTheNextPicture() {
        let placement = KeyframePlacement(interval: 50, segmentPeriod: 100, alignedToSource: true)
        placement.hold(.cut)
        #expect(placement.carry(.none) == .cut)
        #expect(placement.carry(.none) == KeyframeMark.none)
    }
}
