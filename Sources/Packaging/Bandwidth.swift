/// Bit rates a master playlist declares for a rendition.
public enum Bandwidth {
    /// RFC 8216 4.3.4.2: the largest bit rate of any contiguous set of segments whose total
    /// duration is between 0.5 and 1.5 times the target duration. A video too short to have
    /// such a set uses its overall rate.
    public static func peak(of segments: [Segment], targetDuration: Int) -> Int {
        let low = 0.5 * Double(targetDuration)
        let high = 1.5 * Double(targetDuration)
        var best = 0.0
        for start in segments.indices {
            var bytes: Int64 = 0
            var seconds = 0.0
            for segment in segments[start...] {
                bytes += segment.length
                seconds += segment.duration
                if seconds > high { break }
                if seconds >= low, seconds > 0 { best = max(best, Double(bytes * 8) / seconds) }
            }
        }
        if best == 0 { return average(of: segments) }
        return Int(best.rounded(.up))
    }

    /// Total media bits over total duration (AVERAGE-BANDWIDTH), rounded up.
    public static func average(of segments: [Segment]) -> Int {
        let bytes = segments.reduce(Int64(0)) { $0 + $1.length }
        let seconds = segments.reduce(0.0) { $0 + $1.duration }
        guard seconds > 0 else { return 0 }
        return Int((Double(bytes * 8) / seconds).rounded(.up))
    }
}
