import Foundation

/// A video's metadata file beside it (`NAME.yaml`, `.yml` or `.json`): read by publishing, and
/// never taken as a video by the watch folder or an import.
public enum SidecarFile {
    public static let extensions = ["yaml", "yml", "json"]

    /// Whether `name` has a sidecar's extension.
    public static func isSidecar(_ name: String) -> Bool {
        extensions.contains((name as NSString).pathExtension.lowercased())
    }
}
