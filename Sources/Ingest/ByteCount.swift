import Foundation
import Jobs

/// Sizes in settings: `3G`, `512M`, `1.5GiB`, `2048k` or plain bytes (binary units: 1K = 1024).
public enum ByteCount {
    public static func parse(_ text: String, key: String) throws -> Int64 {
        let (kibi, mebi, gibi) = (1024.0, 1024.0 * 1024, 1024.0 * 1024 * 1024)
        let units: [(suffix: String, factor: Double)] = [("gib", gibi), ("mib", mebi), ("kib", kibi), ("gb", gibi), ("mb", mebi),
                                                          ("kb", kibi), ("g", gibi), ("m", mebi), ("k", kibi), ("b", 1)]
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        let unit = units.first { lowered.hasSuffix($0.suffix) }
        let digits = unit.map { String(lowered.dropLast($0.suffix.count)) } ?? lowered
        guard let number = Double(digits.trimmingCharacters(in: .whitespaces)), number >= 0 else {
            throw ConfigurationError(key: key, problem: "'\(text)' is not a size (bytes, or a number with K, M or G)")
        }
        return Int64(number * (unit?.factor ?? 1))
    }
}
