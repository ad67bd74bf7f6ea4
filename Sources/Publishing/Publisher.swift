import Foundation
import Jobs
import Ladder
import Logging
import Packaging
import PeerTubeClient
import Transcoding

/// Puts one file on a channel: makes its package (the renditions the instance will ask its
/// runners for, from one decode), uploads the original with the resumable protocol, sets the
/// package's preview as the thumbnail, and waits until the instance says published.
///
/// Each step is recorded in the state folder's ``PublicationStore`` before the next starts: a run
/// killed at any moment resumes there (the upload at the instance's offset) and the same file is
/// never made into a second video. `sluice runner serve` with the same state folder answers the
/// video's jobs from the package.
public struct Publisher: Sendable {
    public let state: URL
    public let settings: PublishSettings
    let runner: any TranscodeRunner
    let logger: Logger
    let store: PublicationStore

    public init(state: URL, settings: PublishSettings, runner: any TranscodeRunner, logger: Logger) {
        self.state = state
        self.settings = settings
        self.runner = runner
        self.logger = logger
        store = PublicationStore(state: state)
    }

    /// Publishes `file` to `target`; returns the publication as it ends (uploaded, published or,
    /// with a refusal, failed). Throws ``PublishError`` for what stops it.
    ///
    /// `original` is where the file was named by its owner when it has moved since (a watch
    /// folder's work copy): its name and the sidecar beside it are used. `package` is a package
    /// already made for this file (a job's), used instead of making one.
    public func publish(_ file: URL, to target: PublishTarget, original: URL? = nil,
                        package: URL? = nil) async throws(PublishError) -> Publication {
        let instance = InstanceURL.normalized(target.instance)
        let original = original ?? file
        var metadata: VideoMetadata
        do {
            metadata = try MetadataResolver.resolve(video: file, original: original)
            try metadata.check()
        } catch {
            throw PublishError(.refused, "\(original.lastPathComponent): \(error)")
        }
        let session = UserSession(instance: instance, store: LoginStore(state: state))
        let api = VideosAPI(session: session)
        var publication = try await Self.mapping {
            try await self.start(file, metadata: metadata, target: target, instance: instance, api: api)
        }
        if publication.step == .published { return publication }
        if let package, publication.package == nil {
            publication.package = package.path
            publication.step = .prepared
            try await Self.mapping { try store.save(publication) }
        }
        publication = try await Self.mapping {
            try await self.prepare(file, publication: publication, instance: instance)
        }
        // The original, or (`uploadPrepared`) the package's top rung: far less to send, same jobs.
        var sent = file
        var fileName = original.lastPathComponent
        if settings.uploadPrepared, let package = publication.package {
            sent = try await Self.mapping { try PreparedUpload.file(for: URL(fileURLWithPath: package)) }
            fileName = original.deletingPathExtension().appendingPathExtension("mp4").lastPathComponent
        }
        publication = try await Self.mapping { [publication] in
            try await self.upload(sent, publication: publication, metadata: metadata, target: target, fileName: fileName, api: api)
        }
        guard target.wait else { return publication }
        return try await Self.mapping { try await self.waitPublished(publication, api: api) }
    }

    /// The publication of this file on this instance: the one recorded, or a new one (a failed
    /// one starts again: its sidecar may have been fixed).
    private func start(_ file: URL, metadata: VideoMetadata, target: PublishTarget, instance: String,
                       api: VideosAPI) async throws -> Publication {
        guard api.session.isLoggedIn else { throw InstanceError.notLoggedIn(instance) }
        let fingerprint = try Fingerprint.of(file: file)
        let size = try Self.size(of: file)
        let channel = metadata.channel ?? target.channel ?? "\(api.session.username ?? "")_channel"
        let fresh = Publication(fingerprint: fingerprint, instance: instance, channel: channel, source: file.path, sourceSize: size,
                                name: metadata.name)
        if var known = store.load(key: fresh.key), known.step != .failed {
            known.source = file.path
            return known
        }
        _ = try await api.channelID(channel)  // a wrong channel is said before any transcoding
        try store.save(fresh)
        return fresh
    }

    /// Makes the package unless it is there: exactly the renditions the instance's job builder
    /// will ask for (its published config), so the runner answers every job from it.
    private func prepare(_ file: URL, publication: Publication, instance: String) async throws -> Publication {
        var publication = publication
        if let package = publication.package, FileManager.default.fileExists(atPath: package) { return publication }
        try await runner.check(file: file, limits: .none)
        let config = await InstanceConfig.fetch(instance: instance)
        var options = TranscodeOptions(pipeline: settings.pipeline,
                                       outputDirectory: state.appendingPathComponent("packages").appendingPathComponent(publication.key))
        if let config, let ladder = try Self.ladder(for: file, config: config) {
            options.renditions = ladder.renditions
            options.splitAudio = ladder.splitAudio
            publication.expectedJobs = ladder.jobs
        }
        publication.removesPackage = !settings.keepPackage
        logger.info("preparing", metadata: ["file": "\(file.lastPathComponent)"])
        let result = try await runner.transcode(file: file, options: options, cancellation: CancellationFlag()) { _ in }
        publication.package = result.directory
        publication.step = .prepared
        try store.save(publication)
        return publication
    }

    /// What the instance will ask for a file like this one: the optimize job at the original
    /// resolution and frame rate (480p 25 fps for audio), then the predicted jobs.
    public static func ladder(for file: URL, config: InstanceConfig) throws -> (renditions: [RenditionRequest], splitAudio: Bool, jobs: [String])? {
        let report = try MediaProbe.probe(file).report
        let hasAudio = report.audioStream != nil
        var top = LadderPlanner.stillImageResolution
        var fps = LadderPlanner.stillImageFPS
        if let video = report.videoStream, let size = video.displaySize {
            top = LadderPlanner.toEven(min(size.width, size.height))
            fps = FrameRateRule.sourceFPS(video.framesPerSecond)
        }
        let expected = LadderPrediction.jobs(top: top, fps: fps, config: config).filter { hasAudio || $0.resolution > 0 }
        let optimize = report.videoStream == nil ? "audioMerge-\(top)" : "webVideo-\(top)"
        return (LadderPrediction.renditions(top: top, fps: fps, expected: expected), config.hlsEnabled && config.splitAudio && hasAudio,
                [optimize] + expected.map { "\($0.kind.key)-\($0.resolution)" })
    }
}
