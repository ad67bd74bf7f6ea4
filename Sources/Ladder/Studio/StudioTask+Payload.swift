import Foundation

extension StudioTask {
    /// Reads one entry of a job's `tasks`, as PeerTube 6.3 to 8.2 send them: times may come as
    /// strings (multipart text fields are not converted), 6.3 spells the horizontal margin
    /// `horitonzalMarginRatio`. Nil for a task this runner does not know or cannot read.
    public init?(payload: [String: Any]) {
        guard let name = payload["name"] as? String, let options = payload["options"] as? [String: Any] else { return nil }
        switch name {
        case "cut":
            let start = Self.number(options["start"]), end = Self.number(options["end"])
            guard start != nil || end != nil, (start ?? 0) >= 0, end.map({ $0 > (start ?? 0) }) ?? true else { return nil }
            self = .cut(start: start, end: end)
        case "add-intro", "add-outro":
            guard let file = options["file"] as? String else { return nil }
            self = name == "add-intro" ? .intro(file: file) : .outro(file: file)
        case "add-watermark":
            guard let file = options["file"] as? String else { return nil }
            self = .watermark(file: file, sizeRatio: Self.number(options["watermarkSizeRatio"]) ?? 0.1,
                              horizontalMarginRatio: Self.number(options["horizontalMarginRatio"] ?? options["horitonzalMarginRatio"]) ?? 0.05,
                              verticalMarginRatio: Self.number(options["verticalMarginRatio"]) ?? 0.05)
        case "remove-segments":
            guard let list = options["segments"] as? [[String: Any]], !list.isEmpty else { return nil }
            var ranges: [ClosedRange<Double>] = []
            for entry in list {
                guard let start = Self.number(entry["start"]), let end = Self.number(entry["end"]), start >= 0, end > start else { return nil }
                ranges.append(start...end)
            }
            self = .removeSegments(ranges.sorted { $0.lowerBound < $1.lowerBound })
        default:
            return nil
        }
    }

    /// A JSON number or a string holding one.
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let number as Int: Double(number)
        case let number as Double: number
        case let text as String: Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }
}
