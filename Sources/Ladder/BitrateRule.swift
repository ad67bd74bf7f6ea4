/// PeerTube's bitrate table (`packages/core-utils/src/videos/bitrate.ts`) and target
/// (`getTargetBitrate`): maxrate T = max(minimum, min(average, 1.3 x source bitrate)).
public enum BitrateRule {
    /// Average bits per pixel by the largest standard resolution at or below the rung.
    static let averageBitsPerPixel: [(resolution: Int, bpp: Double)] = [
        (144, 0.19), (240, 0.17), (360, 0.15), (480, 0.12), (720, 0.11), (1080, 0.10), (1440, 0.09), (2160, 0.08),
    ]
    static let minimumBitsPerPixel = 0.02
    /// Maximum bits per pixel (`getMaxTheoreticalBitrate`): only PeerTube's copy gate uses it.
    static let maximumBitsPerPixel: [(resolution: Int, bpp: Double)] = [
        (144, 0.32), (240, 0.29), (360, 0.26), (480, 0.22), (720, 0.19), (1080, 0.17), (1440, 0.16), (2160, 0.14),
    ]

    /// `floor(res * (ratio < 1 ? res / ratio : res * ratio) * fps * bpp)`, with PeerTube's fallbacks.
    static func bitrate(resolution: Int, ratio: Double, fps: Int, bitsPerPixel: Double?, fallback: Int) -> Int {
        guard let bitsPerPixel, ratio > 0 else { return fallback }
        let res = Double(resolution)
        let other = ratio < 1 ? res / ratio : res * ratio
        let value = Int((res * other * Double(fps) * bitsPerPixel).rounded(.down))
        return value > 0 ? value : fallback
    }

    public static func averageBitrate(resolution: Int, ratio: Double, fps: Int) -> Int {
        let bpp = averageBitsPerPixel.last { resolution >= $0.resolution }?.bpp
        return bitrate(resolution: resolution, ratio: ratio, fps: fps, bitsPerPixel: bpp, fallback: 192_000)
    }

    /// The highest bitrate PeerTube accepts for a stream-copied video of this size and frame rate.
    public static func maximumBitrate(resolution: Int, ratio: Double, fps: Int) -> Int {
        let bpp = maximumBitsPerPixel.last { resolution >= $0.resolution }?.bpp
        return bitrate(resolution: resolution, ratio: ratio, fps: fps, bitsPerPixel: bpp, fallback: 256_000)
    }

    public static func minimumBitrate(resolution: Int, ratio: Double, fps: Int) -> Int {
        bitrate(resolution: resolution, ratio: ratio, fps: fps, bitsPerPixel: minimumBitsPerPixel, fallback: 10_000)
    }

    /// The x264 `maxrate` for a rung. `ratio` is the source's width / height.
    public static func targetBitrate(resolution: Int, ratio: Double, fps: Int, sourceBitrate: Int?) -> Int {
        let average = averageBitrate(resolution: resolution, ratio: ratio, fps: fps)
        let minimum = minimumBitrate(resolution: resolution, ratio: ratio, fps: fps)
        guard let source = sourceBitrate, source > 0 else { return max(minimum, average) }
        let capped = min(average, Int((Double(source) * 1.3).rounded(.down)))
        return max(minimum, capped)
    }
}
