import LibAV

/// A reference box for a move-only ``Frame`` so it can travel through a queue.
///
/// Invariant: one owner at a time; after fan-out each consumer has its own box around its own
/// `av_frame_ref`, and the shared pixel buffers are only read (AVBuffer refcounts are atomic).
final class FrameBox: @unchecked Sendable {
    private let frame: Frame

    init(_ frame: consuming Frame) {
        self.frame = frame
    }

    func withFrame<R, E: Error>(_ body: (borrowing Frame) throws(E) -> R) throws(E) -> R {
        try body(frame)
    }

    /// A new reference to the same picture, to hand to a consumer that takes ownership.
    func frameReference() throws(FFmpegError) -> Frame {
        try frame.ref()
    }

    /// A new box around a reference to the same picture (no pixels copied).
    func reference() throws(FFmpegError) -> FrameBox {
        FrameBox(try frame.ref())
    }
}

/// A reference box for a move-only ``Packet`` (same invariant as ``FrameBox``).
final class PacketBox: @unchecked Sendable {
    private var packet: Packet?

    init(_ packet: consuming Packet) {
        self.packet = .some(packet)
    }

    /// Takes the packet out; the box is empty afterwards.
    func take() -> Packet? {
        packet.take()
    }

    func withPacket<R, E: Error>(_ body: (borrowing Packet) throws(E) -> R) throws(E) -> R? {
        switch packet {
        case .some(let inner): try body(inner)
        case .none: nil
        }
    }
}

/// What flows from the source thread to a rendition thread.
enum StageItem: @unchecked Sendable {
    /// A picture at `time` seconds from the start (one object shared by every consumer); `mark`
    /// says whether the source had a keyframe there that the copied top rung will switch on.
    case video(SourcePicture, time: Double, mark: KeyframeMark)
    /// One of the source's own video packets for the copied top rung, timestamps rebased to
    /// the shared timeline; `cut` when a segment starts with it.
    case copiedVideo(PacketBox, cut: Bool)
    /// One audio packet (the shared AAC encode, or the source's AAC), in the audio track's time base.
    case audio(PacketBox)
    /// No more input; the video's last frame ends at `videoEnd` seconds.
    case end(videoEnd: Double)
}
