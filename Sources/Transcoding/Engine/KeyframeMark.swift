/// What a source keyframe asks of the encoded renditions when the top rung is copied: they
/// must have a keyframe on the same picture, and cut a segment there when the copy does.
enum KeyframeMark: Int, Comparable, Sendable {
    case none
    case keyframe
    case cut

    static func < (lhs: KeyframeMark, rhs: KeyframeMark) -> Bool { lhs.rawValue < rhs.rawValue }
}
