import Foundation

extension JSONEncoder {
    /// The JSON Sluice writes for people and tools: indented, keys sorted, ISO 8601 dates,
    /// slashes unescaped (paths and URLs stay readable).
    public static func readable() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
