internal import CFFmpeg

/// One compressed packet, owned by exactly one place at a time (see ``Frame``).
public struct Packet: ~Copyable, @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVPacket>

    /// An empty packet. The corresponding C function is `av_packet_alloc`.
    public init() throws(FFmpegError) {
        guard let packet = av_packet_alloc() else { throw .outOfMemory("av_packet_alloc") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    /// A new packet sharing this one's data. The corresponding C function is `av_packet_ref`.
    public func ref() throws(FFmpegError) -> Packet {
        let copy = try Packet()
        try check(av_packet_ref(copy.pointer, pointer), "av_packet_ref")
        return copy
    }

    public var streamIndex: Int { Int(pointer.pointee.stream_index) }
    public var pts: Int64? { timestamp(pointer.pointee.pts) }
    public var dts: Int64? { timestamp(pointer.pointee.dts) }
    /// Duration in the packet's time base, 0 when unknown. An MP4's last sample lasts what its
    /// packet says: left at 0, the track ends a frame early.
    public var duration: Int64 {
        get { pointer.pointee.duration }
        nonmutating set { pointer.pointee.duration = newValue }
    }
    public var size: Int { Int(pointer.pointee.size) }
    public var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// Moves timestamps from one time base to another. The corresponding C function is `av_packet_rescale_ts`.
    public func rescaleTimestamps(from source: Rational, to target: Rational) {
        av_packet_rescale_ts(pointer, source.av, target.av)
    }

    /// Shifts pts and dts by `offset` (in the packet's time base), leaving unset ones unset.
    public func shiftTimestamps(by offset: Int64) {
        if let pts { pointer.pointee.pts = pts + offset }
        if let dts { pointer.pointee.dts = dts + offset }
    }
}
