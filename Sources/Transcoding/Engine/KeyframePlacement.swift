/// Which output slots of an encoded rendition get a forced keyframe, and which start a segment.
///
/// On its own grid (no copied rung): a keyframe every `interval` slots and a cut every
/// `segmentPeriod` slots, the same slots in every rendition. Aligned to a copied top rung: a
/// keyframe on every source keyframe's picture, a cut where the source's keyframe starts a
/// segment, and a keyframe at least every `interval` slots in between.
final class KeyframePlacement {
    let interval: Int64
    let segmentPeriod: Int64
    let alignedToSource: Bool
    private var lastKeyframe = Int64.min / 2
    private var held = KeyframeMark.none

    init(interval: Int, segmentPeriod: Int, alignedToSource: Bool) {
        self.interval = Int64(max(interval, 1))
        self.segmentPeriod = Int64(max(segmentPeriod, 1))
        self.alignedToSource = alignedToSource
    }

    /// The mark for a picture, with any mark held from a dropped picture before it.
    func carry(_ mark: KeyframeMark) -> KeyframeMark {
        defer { held = .none }
        return max(mark, held)
    }

    /// Keeps the mark of a picture the frame-rate conversion dropped for the next one.
    func hold(_ mark: KeyframeMark) {
        held = max(held, mark)
    }

    /// Whether `slot` is a keyframe and starts a segment; `mark` is its source keyframe mark.
    func decide(slot: Int64, mark: KeyframeMark) -> (keyframe: Bool, cut: Bool) {
        let decision: (keyframe: Bool, cut: Bool)
        if alignedToSource {
            decision = mark == .none ? (slot - lastKeyframe >= interval, false) : (true, mark == .cut)
        } else {
            let keyframe = slot % interval == 0
            decision = (keyframe, keyframe && slot > 0 && slot % segmentPeriod == 0)
        }
        if decision.keyframe { lastKeyframe = slot }
        return decision
    }
}
