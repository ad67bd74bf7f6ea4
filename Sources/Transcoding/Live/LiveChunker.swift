import Foundation
import LibAV
import Packaging

/// Cuts one variant's packets into chunks on a grid shared by every variant: a chunk ends at the
/// first packet at or past the next multiple of the segment duration (for video, the keyframe
/// the 2 s GOP puts there), so every resolution's chunk n covers the same seconds.
final class LiveChunker {
    let variant: LiveVariant
    private let track: FragmentedMP4Writer.Track
    private let format: TrackFormat
    private let segmentDuration: Double
    private let directory: String
    private let clock: Date
    private let variantCount: Int
    private var current: LiveChunkFile?
    private var nextSequence = 0
    private var end = 0.0

    init(variant: LiveVariant, format: TrackFormat, segmentDuration: Int, directory: String, clock: Date, variantCount: Int) {
        self.variantCount = variantCount
        self.variant = variant
        self.format = format
        track = variant.isAudio ? .audio : .video
        self.segmentDuration = Double(segmentDuration)
        self.directory = directory
        self.clock = clock
    }

    /// Writes one packet starting at `time` and ending at `end` (seconds from the stream's start);
    /// a chunk it completes goes to `emit`.
    func take(_ packet: borrowing Packet, time: Double, end packetEnd: Double, canStart: Bool,
              emit: (LiveChunk) throws -> Void) throws {
        if let chunk = current, canStart, time >= boundary(after: chunk.start) {
            try emit(try chunk.close(end: time, clock: clock, isLast: false, variantCount: variantCount))
            current = nil
        }
        if current == nil {
            guard canStart || track == .audio else { return }
            current = try LiveChunkFile(variant: variant, sequence: nextSequence, start: time, directory: directory,
                                        video: track == .video ? format : nil, audio: track == .audio ? format : nil)
            nextSequence += 1
        }
        try current?.write(packet, track: track)
        end = max(end, packetEnd)
    }

    /// Closes the last chunk at the end of the stream.
    func finish(emit: (LiveChunk) throws -> Void) throws {
        guard let chunk = current else { return }
        current = nil
        try emit(try chunk.close(end: end, clock: clock, isLast: true, variantCount: variantCount))
    }

    /// The grid point after `start` (a small tolerance for timestamps rounded to milliseconds).
    private func boundary(after start: Double) -> Double {
        (((start + 0.001) / segmentDuration).rounded(.down) + 1) * segmentDuration - 0.001
    }
}
