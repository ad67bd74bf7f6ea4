internal import CFFmpeg

/// An exact fraction, as FFmpeg uses for time bases and frame rates.
public struct Rational: Hashable, Sendable, Codable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    init(_ value: AVRational) {
        self.init(value.num, value.den)
    }

    var av: AVRational { AVRational(num: numerator, den: denominator) }

    /// The value as a double, or nil for an undefined fraction (denominator or numerator 0).
    public var doubleValue: Double? {
        guard denominator != 0, numerator != 0 else { return nil }
        return Double(numerator) / Double(denominator)
    }

    public var description: String { "\(numerator)/\(denominator)" }
}

/// Rescales `value` from one time base to another, rounding to nearest as FFmpeg's tools do.
/// The corresponding C function is `av_rescale_q_rnd`.
public func rescale(_ value: Int64, from source: Rational, to target: Rational) -> Int64 {
    let rounding = AVRounding(rawValue: AV_ROUND_NEAR_INF.rawValue | AV_ROUND_PASS_MINMAX.rawValue)
    return av_rescale_q_rnd(value, source.av, target.av, rounding)
}

/// `nil` for FFmpeg's "no timestamp" marker, so callers never compare against `AV_NOPTS_VALUE`.
@inline(__always)
func timestamp(_ raw: Int64) -> Int64? {
    raw == cffmpeg_AV_NOPTS_VALUE ? nil : raw
}
