import Foundation
import LibAV

/// The metadata a recording carries in its container: a title, a comment or description, and
/// a date (`date`, else the camera's `creation_time`).
struct ContainerTags {
    var title: String?
    var description: String?
    var date: Date?

    init(video: URL) {
        guard let demuxer = try? Demuxer(path: video.path) else { return }
        title = demuxer.tag("title")
        description = demuxer.tag("description") ?? demuxer.tag("comment") ?? demuxer.tag("synopsis")
        date = (demuxer.tag("date") ?? demuxer.tag("creation_time")).flatMap(Self.parseDate)
    }

    /// ISO 8601 with or without time, fraction or zone (`2024-05-20`, `2024-05-20 12:00`,
    /// `2024-05-20T12:00:00.000000Z`); a year alone (`2008`) is its first of January.
    static func parseDate(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) ?? ISO8601DateFormatter().date(from: text) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
