extension Decoder {
    /// Decodes the packets `next` gives until the first frame comes out, flushing when they end;
    /// nil when none decodes. For single pictures: cover art, a preview image. Damaged packets
    /// are skipped rather than thrown, since any one picture will do.
    public func firstFrame(from next: () -> Packet?) -> Frame? {
        while let packet = next() {
            _ = try? send(packet)
            if let frame = try? receive() { return frame }
        }
        try? sendEndOfStream()
        return try? receive()
    }
}
