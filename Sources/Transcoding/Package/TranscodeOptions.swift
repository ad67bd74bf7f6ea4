import Foundation
import Ladder

/// What to make and where.
public struct TranscodeOptions: Sendable {
    public var pipeline: Pipeline
    /// The folder that receives `<videoUUID>/`.
    public var outputDirectory: URL
    /// Overrides the pipeline's `splitAudio` when set (`--split-audio`).
    public var splitAudio: Bool?
    /// The package's video uuid; random when nil.
    public var videoUUID: UUID?

    public init(pipeline: Pipeline, outputDirectory: URL, splitAudio: Bool? = nil, videoUUID: UUID? = nil) {
        self.pipeline = pipeline
        self.outputDirectory = outputDirectory
        self.splitAudio = splitAudio
        self.videoUUID = videoUUID
    }

    /// The pipeline with the command-line overrides applied.
    var effectivePipeline: Pipeline {
        var pipeline = pipeline
        if let splitAudio { pipeline.splitAudio = splitAudio }
        return pipeline
    }
}
