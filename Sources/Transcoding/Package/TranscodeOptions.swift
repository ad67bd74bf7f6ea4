import Foundation
import Ladder
import Packaging

/// What to make and where.
public struct TranscodeOptions: Sendable {
    public var pipeline: Pipeline
    /// The folder that receives `<videoUUID>/`.
    public var outputDirectory: URL
    /// Overrides the pipeline's `splitAudio` when set (`--split-audio`).
    public var splitAudio: Bool?
    /// The package's video uuid; random when nil.
    public var videoUUID: UUID?
    /// The instance's public URL (`--base-url`), for torrent web seeds, trackers and magnets.
    public var baseURL: String?
    /// Trackers to announce to instead of the instance's own (`--tracker`).
    public var trackers: [String]
    /// Inputs over these are refused at probe.
    public var limits: InputLimits
    /// The video's name where the source has no title tag (the upload's own file name, which a
    /// service's work file does not keep); by default the source's file name. Torrents carry it.
    public var videoName: String?
    /// Exactly these renditions instead of the pipeline's ladder (a PeerTube runner's jobs);
    /// resolution 0 adds an audio-only rendition.
    public var renditions: [RenditionRequest]?
    /// For an audio-only source: the picture its video shows (PeerTube's audio merge uses the
    /// video's preview), instead of its cover art or a plain background.
    public var stillImage: URL?
    /// The storyboard's layout instead of PeerTube's rules (a runner's storyboard job names its own).
    public var storyboard: Storyboard?
    /// The audio for a video file that has none, from another file (a PeerTube job's
    /// `separatedAudioFileUrl`): the two are joined before anything is read.
    public var separateAudio: URL?
    /// The source as the job took it: when set, the package is published only if the source is
    /// still exactly that (see ``SourceIdentity``), else the transcode ends with `.sourceChanged`.
    public var expectedSource: SourceIdentity?
    /// The thumbnail, preview and storyboard. A runner's pass that posts only renditions goes
    /// without them; with a copied top rung and nothing encoded, the source is then not decoded
    /// at all (a web-ready upload's optimize file and top HLS rung in well under a second).
    public var images = true

    public init(pipeline: Pipeline, outputDirectory: URL, splitAudio: Bool? = nil, videoUUID: UUID? = nil,
                baseURL: String? = nil, trackers: [String] = [], limits: InputLimits = .none, videoName: String? = nil,
                renditions: [RenditionRequest]? = nil, stillImage: URL? = nil, storyboard: Storyboard? = nil,
                separateAudio: URL? = nil) {
        self.storyboard = storyboard
        self.separateAudio = separateAudio
        self.renditions = renditions
        self.stillImage = stillImage
        self.pipeline = pipeline
        self.outputDirectory = outputDirectory
        self.splitAudio = splitAudio
        self.videoUUID = videoUUID
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.trackers = trackers
        self.limits = limits
        self.videoName = videoName
    }

    /// The pipeline with the command-line overrides applied.
    var effectivePipeline: Pipeline {
        var pipeline = pipeline
        if let splitAudio { pipeline.splitAudio = splitAudio }
        return pipeline
    }
}
