/// PeerTube's `computeOutputFPS` with the tier's maximum (tiers.md, "Frame rate").
public enum FrameRateRule {
    /// Integer fps of the source: avg_frame_rate else r_frame_rate, rounded (29.97 -> 30).
    /// Unknown or absurd rates fall back to 25.
    public static func sourceFPS(_ framesPerSecond: Double?) -> Int {
        guard let fps = framesPerSecond, fps.isFinite, fps >= 0.1, fps <= 1000 else { return 25 }
        return max(1, Int(fps.rounded()))
    }

    /// Output fps for one rung.
    public static func outputFPS(source: Int, resolution: Int, isTop: Bool, maxFps: Int) -> Int {
        let standard = [24, 25, 30].filter { $0 <= maxFps }
        let highDefinition = [50, 60, maxFps].filter { $0 <= maxFps }
        var fps = source
        if !isTop && resolution < 720 && fps > min(30, maxFps) {
            fps = closest(fps, standard.isEmpty ? [maxFps] : standard)
        }
        fps = max(fps, 1)
        if fps > maxFps {
            fps = closest(fps, highDefinition)
        }
        return fps
    }

    /// The largest option dividing `fps`, else the one leaving the smallest remainder (first wins ties).
    static func closest(_ fps: Int, _ options: [Int]) -> Int {
        if let divisor = options.sorted(by: >).first(where: { fps % $0 == 0 }) { return divisor }
        return options.min { fps % $0 < fps % $1 } ?? fps
    }
}
