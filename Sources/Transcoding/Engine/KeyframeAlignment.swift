/// Where every rendition cuts when the top rung is the source's own packets: a copied rung can
/// only start a segment on a source keyframe, so all renditions cut on the first source keyframe
/// at or after each multiple of `segmentSeconds`, and the encoded ones put a keyframe on every
/// source keyframe.
///
/// The source thread learns a keyframe from its packet, before the decoder returns the picture,
/// so the mark is ready when the picture is handed to the encoders.
struct KeyframeAlignment {
    /// Timestamps within this of a mark count as on it (rounding of time bases).
    static let tolerance = 0.001
    let segmentSeconds: Double
    private var nextMark: Double
    private var pending: [(time: Double, mark: KeyframeMark)] = []

    init(segmentSeconds: Int) {
        self.segmentSeconds = Double(segmentSeconds)
        nextMark = Double(segmentSeconds)
    }

    /// A source keyframe packet at `time` seconds on the shared timeline. Returns whether a
    /// segment starts there.
    mutating func keyframe(at time: Double) -> Bool {
        let cut = time >= nextMark - Self.tolerance
        if cut {
            nextMark = ((time + Self.tolerance) / segmentSeconds).rounded(.down) * segmentSeconds + segmentSeconds
        }
        pending.append((time, cut ? .cut : .keyframe))
        return cut
    }

    /// The mark for the decoded picture at `time`: the strongest of the keyframes at or before
    /// it not yet handed out (a keyframe whose picture was lost to corruption moves to the next).
    mutating func mark(forPictureAt time: Double) -> KeyframeMark {
        var mark = KeyframeMark.none
        while let first = pending.first, first.time <= time + Self.tolerance {
            mark = max(mark, first.mark)
            pending.removeFirst()
        }
        return mark
    }
}
