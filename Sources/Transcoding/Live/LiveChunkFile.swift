import Foundation
import LibAV
import Packaging

/// One MPEG-TS chunk being written: under a private name until it is whole, then renamed to the
/// name PeerTube's watcher reads, so a chunk is never sent half-written.
final class LiveChunkFile {
    let variant: LiveVariant
    let sequence: Int
    /// Seconds from the stream's start of its first packet.
    let start: Double
    private let writer: EncodedFileWriter
    private let draft: String
    private let final: String

    init(variant: LiveVariant, sequence: Int, start: Double, directory: String, video: TrackFormat?, audio: TrackFormat?) throws(FFmpegError) {
        self.variant = variant
        self.sequence = sequence
        self.start = start
        final = directory + "/" + variant.chunkName(sequence)
        draft = final + ".part"
        writer = try EncodedFileWriter(path: draft, container: .mpegTS, video: video, audio: audio)
    }

    func write(_ packet: borrowing Packet, track: FragmentedMP4Writer.Track) throws(FFmpegError) {
        try writer.write(packet, track: track)
    }

    /// Closes the file and puts it in place.
    func close(end: Double, clock: Date, isLast: Bool, variantCount: Int) throws(FFmpegError) -> LiveChunk {
        try writer.finish()
        guard rename(draft, final) == 0 else { throw FFmpegError(code: -errno, operation: "cannot put \(variant.chunkName(sequence)) in place") }
        return LiveChunk(variant: variant, sequence: sequence, duration: max(end - start, 0.001),
                         programDate: clock.addingTimeInterval(start), isLast: isLast, variantCount: variantCount)
    }
}
