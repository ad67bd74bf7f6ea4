import Foundation

/// Media positions and durations as people read them, in one place for every message.
public enum Timecode {
    /// `hh:mm:ss`, e.g. `00:01:12`: where a job was when it failed.
    public static func full(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        return String(format: "%02d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }

    /// `m:ss`, or `h:mm:ss` from an hour: an ETA on a progress line.
    public static func compact(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
