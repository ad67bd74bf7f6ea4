import Foundation
import Ladder

/// A studio job for the editor: the video (and its sound apart, when the video file has none),
/// the tasks with their files on this machine, and where the result goes.
public struct StudioEditOptions: Sendable, Codable, Equatable {
    public var input: String
    public var separateAudio: String?
    public var tasks: [StudioTask]
    /// The MP4 to write; it appears only once complete.
    public var output: String
    /// The operator's limits, checked on every input before anything is decoded.
    public var limits: InputLimits

    public init(input: URL, separateAudio: URL?, tasks: [StudioTask], output: URL, limits: InputLimits = .none) {
        self.limits = limits
        self.input = input.path
        self.separateAudio = separateAudio?.path
        self.tasks = tasks
        self.output = output.path
    }
}
