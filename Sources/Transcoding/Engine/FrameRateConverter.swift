/// Constant-frame-rate output from any input timing (VFR in, CFR out), as ffmpeg's `fps`
/// filter does: output slot `n` (time n/fps) shows the latest input frame whose time rounds to
/// a slot at or before `n`. Frames that land on an already-filled slot are dropped; gaps
/// repeat the previous frame.
public struct FrameRateConverter: Sendable, Equatable {
    public let fps: Int
    /// The first slot not yet emitted.
    public private(set) var nextSlot: Int64 = 0
    private var hasPending = false

    public init(fps: Int) {
        self.fps = fps
    }

    /// A new input frame at `time` seconds (from the start of the video). Returns the slots
    /// the *previous* frame fills; the new frame becomes the pending one.
    public mutating func push(time: Double) -> Range<Int64> {
        let slot = Int64((time * Double(fps)).rounded())
        defer { hasPending = true }
        guard hasPending else { return nextSlot..<nextSlot }
        let end = max(nextSlot, slot)
        defer { nextSlot = end }
        return nextSlot..<end
    }

    /// The end of input at `endTime` seconds (last frame's time plus its duration). Returns
    /// the slots the pending frame fills: none when it lands past the end (a 60 fps source's
    /// last frame in a 30 fps rendition), but at least one for a video of a single frame.
    public mutating func finish(endTime: Double) -> Range<Int64> {
        guard hasPending else { return nextSlot..<nextSlot }
        hasPending = false
        let end = max(nextSlot == 0 ? 1 : nextSlot, Int64((endTime * Double(fps)).rounded()))
        defer { nextSlot = end }
        return nextSlot..<end
    }
}
