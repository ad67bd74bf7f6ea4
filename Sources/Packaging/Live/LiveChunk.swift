import Foundation

/// One MPEG-TS chunk of a live, written whole in the job's folder, as the job's child reports it.
public struct LiveChunk: Sendable, Codable, Equatable {
    public var variant: LiveVariant
    /// From 0, the playlist's media sequence.
    public var sequence: Int
    /// Seconds it plays.
    public var duration: Double
    /// Wall-clock time of its first picture (the playlist's EXT-X-PROGRAM-DATE-TIME).
    public var programDate: Date
    /// The stream ended with this chunk.
    public var isLast: Bool
    /// How many variants the live has (the master waits for a chunk of each).
    public var variantCount: Int

    public init(variant: LiveVariant, sequence: Int, duration: Double, programDate: Date, isLast: Bool, variantCount: Int) {
        self.variantCount = variantCount
        self.variant = variant
        self.sequence = sequence
        self.duration = duration
        self.programDate = programDate
        self.isLast = isLast
    }

    public var name: String { variant.chunkName(sequence) }
}
