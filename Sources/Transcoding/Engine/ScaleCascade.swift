import Foundation
import LibAV

/// The encoded renditions' picture sizes, each scaled from the next larger one rather than from
/// the source.
///
/// A 240p picture made from the 360p one costs a fraction of one made from a 1080p source, and
/// each bicubic step is a small downscale, which keeps the picture sharp. Measured on two cores,
/// a 20 s 1080p25 source to 720/480/360/240/144: the five scales took 3.7 s of CPU from the
/// source and 1.4 s as a cascade (ffmpeg's filters, bicubic both ways); on a 1080p30 live, the
/// 240p rung's SSIM against the source was 0.9974 this way and 0.9982 scaled directly.
///
/// Every picture of a level comes through the same chain of scalers whichever rendition thread
/// asks first, so the output does not depend on thread timing. Each level's scaler is used by
/// one thread at a time (libswscale contexts are not thread-safe).
final class ScaleCascade: @unchecked Sendable {
    struct Size: Hashable, Sendable {
        var width: Int
        var height: Int

        /// Whether a picture of `other`'s size can be made by downscaling this one.
        func contains(_ other: Size) -> Bool { width >= other.width && height >= other.height }
    }

    /// The sizes, largest first, without repeats.
    let sizes: [Size]
    /// For each size, the level its pictures are scaled from; nil for the source.
    let parents: [Int?]
    private let scalers: [LockedScaler]

    init(sizes: [Size]) {
        var unique: [Size] = []
        for size in sizes.sorted(by: { $0.width * $0.height > $1.width * $1.height }) where !unique.contains(size) {
            unique.append(size)
        }
        self.sizes = unique
        parents = Self.parents(of: unique)
        scalers = unique.map { _ in LockedScaler() }
    }

    /// The nearest larger level that contains each size (sizes sorted largest first).
    static func parents(of sizes: [Size]) -> [Int?] {
        sizes.indices.map { index in
            sizes[..<index].indices.last { sizes[$0].contains(sizes[index]) }
        }
    }

    /// The level that makes pictures of this size.
    func level(width: Int, height: Int) -> Int? {
        sizes.firstIndex(of: Size(width: width, height: height))
    }

    /// `frame` (the source's picture, or the parent level's) scaled to `level`'s size: a new
    /// reference when it already has that size and format.
    func scale(_ frame: borrowing Frame, toLevel level: Int) throws(FFmpegError) -> Frame {
        let size = sizes[level]
        if Scaler.isPassThrough(frame, width: size.width, height: size.height) { return try frame.ref() }
        return try scalers[level].scale(frame, to: size)
    }
}
