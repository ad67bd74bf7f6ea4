/// One edit of a PeerTube studio job (`video-studio-transcoding`, runner-live-and-studio.md §2.1),
/// applied to what the tasks before it made.
public enum StudioTask: Sendable, Codable, Equatable {
    /// Keeps [start, end) of the input; either bound may be missing.
    case cut(start: Double?, end: Double?)
    /// Plays `file` before the input, stretched to the input's size and frame rate.
    case intro(file: String)
    /// Plays `file` after the input, likewise.
    case outro(file: String)
    /// Lays `file` over the top right corner: its height `sizeRatio` of the video's, its margins
    /// fractions of the video's height on both axes (as PeerTube's overlay expression has it).
    case watermark(file: String, sizeRatio: Double, horizontalMarginRatio: Double, verticalMarginRatio: Double)
    /// Drops each [start, end) range (PeerTube 8.2 and later).
    case removeSegments([ClosedRange<Double>])

    /// The name the payload gives the task.
    public var name: String {
        switch self {
        case .cut: "cut"
        case .intro: "add-intro"
        case .outro: "add-outro"
        case .watermark: "add-watermark"
        case .removeSegments: "remove-segments"
        }
    }

    /// The file the task brings (a URL in a payload, a local path once downloaded).
    public var file: String? {
        switch self {
        case .intro(let file), .outro(let file), .watermark(let file, _, _, _): file
        case .cut, .removeSegments: nil
        }
    }

    /// The same task with its file at `path`.
    public func withFile(_ path: String) -> StudioTask {
        switch self {
        case .intro: .intro(file: path)
        case .outro: .outro(file: path)
        case .watermark(_, let size, let horizontal, let vertical):
            .watermark(file: path, sizeRatio: size, horizontalMarginRatio: horizontal, verticalMarginRatio: vertical)
        case .cut, .removeSegments: self
        }
    }
}
