import Foundation
import Ingest
import Jobs
import Ladder
import Logging
import Testing
import TestSupport
@testable import PeerTubeClient
@testable import Publishing

/// `import --publish`: a library through the job pool onto a channel, each file once, and the
/// runner answering every job from the packages.
@Suite(.serialized) struct PublishingImportTests {
    /// Four good files (a clip with a sidecar, a portrait clip named by its container, an MP3, a
    /// clip named by its file name alone) and a broken file.
    static func library() throws -> URL {
        let folder = try RunnerMedia.stateFolder().appendingPathComponent("library")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("2024"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try RunnerMedia.upload(), to: folder.appendingPathComponent("2024/beach.mp4"))
        try "name: A day at the beach\ntags: [sea, sand]\nprivacy: unlisted\n"
            .write(to: folder.appendingPathComponent("2024/beach.yaml"), atomically: true, encoding: .utf8)
        try FFmpegCLI.make(folder.appendingPathComponent("walk.mp4"),
                           ["-i", try RunnerMedia.portrait60().path, "-c", "copy", "-metadata", "title=Walking upright"])
        try FileManager.default.copyItem(at: try RunnerMedia.broken(), to: folder.appendingPathComponent("broken.mp4"))
        try FileManager.default.copyItem(at: try RunnerMedia.mp3(), to: folder.appendingPathComponent("song.mp3"))
        try FFmpegCLI.make(folder.appendingPathComponent("Harbour at dusk.mp4"),
                           ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25,hue=h=90", "-t", "3", "-c:v", "libx264", "-preset", "veryfast",
                            "-pix_fmt", "yuv420p"])
        return folder
    }

    static func importer(library: URL, state: URL, url: String, maxAttempts: Int = 3, wait: Bool = true) -> LibraryImport {
        var options = ImportOptions(library: library, output: state.appendingPathComponent("out"), state: state, workers: 1)
        options.policy.maxAttempts = maxAttempts
        options.policy.retryBackoff = 0.2
        options.policy.holdRetry = 0.2
        let publisher = PublishingTests.publisher(state)
        options.delivery = ChannelDelivery(publisher: publisher, target: PublishTarget(instance: url, channel: nil, wait: wait), names: nil)
        var logger = Logger(label: "import-test")
        logger.logLevel = .critical
        return LibraryImport(options: options, pipeline: PipelineCatalog.builtIn("large")!, logger: logger, runner: EngineRunner())
    }

    @Test func aLibraryIsPublishedOnceEachWithItsMetadataAndAnsweredFromItsPackages() async throws {
        let server = PublishingTests.instance()
        // The portrait clip is 360x640 at 60 fps: its chain is 360p60, then 240p30.
        // An audio file is merged into a 480p25 video first, then its HLS 480p and 240p.
        server.change { $0.accounts.chains = ["walk.mp4": (360, 60, [(240, 30)]), "song.mp3": (480, 25, [(240, 25)])] }
        let library = try Self.library()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let state = harness.states[0]
            try await PublishingTests.login(url, state: state)
            var report: ImportReport?
            try await harness.run {
                report = try await Self.importer(library: library, state: state, url: url).run()
                let videos = server.snapshot.accounts.videos.map(\.uuid)
                await server.wait { state in state.jobs.filter { videos.contains($0.videoUUID) }.allSatisfy { $0.state == .completed } }
            }
            let entries = try #require(report).entries
            #expect(entries.filter { $0.status == "done" }.count == 4)
            #expect(entries.first { $0.file.hasSuffix("broken.mp4") }?.status == "failed")
            #expect(!entries.contains { $0.file.hasSuffix(".yaml") }, "a sidecar is not a file of the library")
            #expect(entries.filter { $0.remoteURL?.hasPrefix("\(url)/w/") == true && $0.remoteState == "Published" }.count == 4)
            let snapshot = server.snapshot
            #expect(snapshot.accounts.videos.count == 4)
            #expect(Set(snapshot.accounts.videos.compactMap { $0.fields["name"] }) == ["A day at the beach", "Walking upright", "song",
                                                                                        "Harbour at dusk"])
            #expect(snapshot.accounts.videos.first { $0.fields["name"] == "A day at the beach" }?.fields["privacy"] == "2")
            #expect(snapshot.jobs.count == 15 && snapshot.jobs.allSatisfy { $0.state == .completed && $0.failures == 0 })
            #expect(snapshot.jobs.contains { $0.type == "vod-audio-merge-transcoding" })
            #expect(snapshot.downloads.values.reduce(0, +) == 0, "every job answered from a package")
            // Imported again: nothing new is sent.
            let chunks = snapshot.accounts.chunkRequests
            _ = try await Self.importer(library: library, state: state, url: url).run()
            #expect(server.snapshot.accounts.videos.count == 4 && server.snapshot.accounts.chunkRequests == chunks)
        }
    }

    @Test func aRevokedLoginHoldsTheQueueUntilSomeoneLogsInAgain() async throws {
        let server = PublishingTests.instance()
        let library = try RunnerMedia.stateFolder()
        try FileManager.default.copyItem(at: try RunnerMedia.upload(), to: library.appendingPathComponent("held.mp4"))
        try await server.serve { url in
            let state = try RunnerMedia.stateFolder()
            try LoginStore(state: state).save(StoredLogin(instance: url, username: "alice", clientID: FakeAccounts.clientID,
                                                          clientSecret: FakeAccounts.clientSecret, refreshToken: "revoked", refreshExpires: nil))
            let importer = Self.importer(library: library, state: state, url: url, maxAttempts: 1, wait: false)
            async let report = importer.run()
            await server.wait { $0.accounts.refusedRefreshes >= 2 }
            let held = try JobStore(path: StateFolders(root: state).database.path).jobs()
            #expect(held.count == 1 && held[0].state != .quarantined, "a login problem fails no file")
            #expect(importer.holdReason?.contains("run `sluice login` again") == true, "\(importer.holdReason ?? "no hold")")
            try await PublishingTests.login(url, state: state)
            let entries = try await report.entries
            #expect(entries.map(\.status) == ["done"], "with one attempt allowed: the hold charged none")
            #expect(server.snapshot.accounts.videos.count == 1)
        }
    }
}
