import Foundation
import Ladder
import Packaging
import Transcoding

/// The one line a job's child process reads on stdin: what to do, with what, under which limits.
/// See docs/worker-protocol.md.
public struct WorkerRequest: Sendable, Codable, Equatable {
    public enum Task: String, Sendable, Codable {
        /// Probe, transcode and publish one package atomically.
        case transcode
        /// Probe and validate only: is this a file Sluice can transcode?
        case check
        /// Apply a studio job's tasks (version 5).
        case edit
        /// Transcode a live until its stream ends (version 5).
        case live
    }

    /// Bumped on any change a parent and a child of different builds would disagree on.
    public static let currentVersion = 5

    public var version = WorkerRequest.currentVersion
    public var task: Task
    public var file: String
    public var processLimits: ProcessLimits
    public var inputLimits: InputLimits
    public var pipeline: Pipeline?
    public var output: String?
    public var splitAudio: Bool?
    public var videoUUID: String?
    public var baseURL: String?
    public var trackers: [String] = []
    public var videoName: String?
    /// Exactly these renditions instead of the pipeline's ladder (version 2).
    public var renditions: [RenditionRequest]?
    /// The picture of an audio-only source's video (version 2).
    public var stillImage: String?
    /// A storyboard layout instead of PeerTube's rules (version 2).
    public var storyboard: Storyboard?
    /// The audio for a video file without any, joined before probing (version 3).
    public var separateAudio: String?
    /// The source as the job took it; the package is published only if it is unchanged (version 4).
    public var expectedSource: SourceIdentity?
    /// False: no thumbnail, preview or storyboard (version 4).
    public var images: Bool?
    /// The studio edit to make (version 5).
    public var studio: StudioEditOptions?
    /// The live to transcode (version 5).
    public var live: LiveOptions?

    /// A transcode of `file` with `options`.
    public init(transcode file: URL, options: TranscodeOptions, processLimits: ProcessLimits) {
        task = .transcode
        self.file = file.path
        self.processLimits = processLimits
        inputLimits = options.limits
        pipeline = options.pipeline
        output = options.outputDirectory.path
        splitAudio = options.splitAudio
        videoUUID = options.videoUUID?.uuidString.lowercased()
        baseURL = options.baseURL
        trackers = options.trackers
        videoName = options.videoName
        renditions = options.renditions
        stillImage = options.stillImage?.path
        storyboard = options.storyboard
        separateAudio = options.separateAudio?.path
        expectedSource = options.expectedSource
        images = options.images ? nil : false
    }

    /// A check of `file`.
    public init(check file: URL, inputLimits: InputLimits, processLimits: ProcessLimits) {
        task = .check
        self.file = file.path
        self.processLimits = processLimits
        self.inputLimits = inputLimits
    }

    /// A studio edit.
    public init(edit options: StudioEditOptions, processLimits: ProcessLimits) {
        task = .edit
        file = options.input
        self.processLimits = processLimits
        inputLimits = options.limits
        studio = options
    }

    /// A live; `file` names the stream without its URL, which holds the stream key.
    public init(live options: LiveOptions, processLimits: ProcessLimits) {
        task = .live
        file = LiveTranscoder.sourceName
        self.processLimits = processLimits
        inputLimits = .none
        live = options
    }

    /// The engine's options, for a transcode request.
    var transcodeOptions: TranscodeOptions? {
        guard let pipeline, let output else { return nil }
        var options = TranscodeOptions(pipeline: pipeline, outputDirectory: URL(fileURLWithPath: output), splitAudio: splitAudio,
                                       videoUUID: videoUUID.flatMap(UUID.init(uuidString:)), baseURL: baseURL, trackers: trackers,
                                       limits: inputLimits, videoName: videoName, renditions: renditions,
                                       stillImage: stillImage.map { URL(fileURLWithPath: $0) }, storyboard: storyboard,
                                       separateAudio: separateAudio.map { URL(fileURLWithPath: $0) })
        options.expectedSource = expectedSource
        options.images = images ?? true
        return options
    }
}
