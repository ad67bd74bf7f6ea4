import Foundation
import LibAV

/// What the tests read from a video's first picture.
public enum FirstPicture {
    public struct Missing: Error {}

    /// The spread of luma in the first picture of `file` (0 for a flat picture): a picture made
    /// from real content, not a plain background.
    public static func lumaSpread(_ file: URL) throws -> Double {
        let demuxer = try Demuxer(path: file.path)
        guard let stream = demuxer.streams.first(where: { $0.kind == .video }) else { throw Missing() }
        let decoder = try demuxer.makeDecoder(stream: stream.index, threads: 1)
        let frame = decoder.firstFrame {
            while let packet = try? demuxer.readPacket() {
                if packet.streamIndex == stream.index { return packet }
            }
            return nil
        }
        guard let frame else { throw Missing() }
        return frame.lumaSpread ?? 0
    }
}
