import Foundation
import LibAV

/// One decoded source picture as every consumer of the decode sees it, with its scaled versions
/// made on first demand (``ScaleCascade``) and kept for the other renditions that need them.
///
/// Shared by reference between the rendition threads: the source frame and every scaled one are
/// only read once made (consumers that change a picture's timestamps take a reference first).
final class SourcePicture: @unchecked Sendable {
    let source: FrameBox
    private let cascade: ScaleCascade?
    /// One slot per cascade level, each filled once under its own lock.
    private let slots: [ScaledSlot]

    init(source: FrameBox, cascade: ScaleCascade?) {
        self.source = source
        self.cascade = cascade
        slots = (cascade?.sizes ?? []).map { _ in ScaledSlot() }
    }

    /// The picture at `level`'s size, scaling (from the level above, or the source) only the
    /// first time any rendition asks. A level's lock is held while the levels above it are made:
    /// locks are always taken from the smaller level to the larger, so no two threads wait on
    /// each other.
    func scaled(toLevel level: Int) throws(FFmpegError) -> FrameBox {
        guard let cascade, slots.indices.contains(level) else { return source }
        let slot = slots[level]
        slot.lock.lock()
        defer { slot.lock.unlock() }
        if let ready = slot.picture { return ready }
        let input = try cascade.parents[level].map { parent throws(FFmpegError) in try scaled(toLevel: parent) } ?? source
        let picture = try input.withFrame { frame throws(FFmpegError) -> FrameBox in
            FrameBox(try cascade.scale(frame, toLevel: level))
        }
        slot.picture = picture
        return picture
    }
}
