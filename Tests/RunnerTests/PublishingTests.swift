import Crypto
import Foundation
import Jobs
import Ladder
import LibAV
import Logging
import Testing
@testable import PeerTubeClient
@testable import Publishing
@testable import Runner

/// Publishing into the test instance: login, the resumable upload and its faults, metadata, and
/// the runner answering the published video's jobs from the package (peertube-upload-api.md).
@Suite(.serialized) struct PublishingTests {
    static let password = "correct horse battery staple"

    /// An instance with one user, HLS 360 and 240 plus the podcast audio, as its config says.
    static func instance(_ configure: (inout FakeAccounts) -> Void = { _ in }) -> FakePeerTube {
        let server = FakePeerTube(registrationTokens: [RunnerHarness.registrationToken])
        server.publishConfig(resolutions: [240], hls: true, podcast: true)
        server.change { state in
            state.accounts.addUser("alice", password: password)
            state.accounts.chain = (360, 25, [(240, 25)])
            configure(&state.accounts)
        }
        return server
    }

    static func login(_ url: String, state: URL) async throws {
        let client = try await PeerTubeLogin.client(of: url)
        let tokens = try await PeerTubeLogin.password(instance: url, client: client, username: "alice", password: password)
        try LoginStore(state: state).save(StoredLogin(instance: url, username: "alice", clientID: client.id, clientSecret: client.secret,
                                                      refreshToken: tokens.refreshToken, refreshExpires: nil))
    }

    /// The upload copied into its own folder (with `sidecar` as NAME.yaml when given).
    static func clip(named name: String = "holiday-clip", sidecar: String? = nil) throws -> URL {
        let folder = try RunnerMedia.stateFolder()
        let file = folder.appendingPathComponent("\(name).mp4")
        try FileManager.default.copyItem(at: try RunnerMedia.upload(), to: file)
        if let sidecar { try sidecar.write(to: folder.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8) }
        return file
    }

    static func publisher(_ state: URL, chunk: Int = 96 << 10, attempts: Int = 8, uploadPrepared: Bool = false) -> Publisher {
        var settings = PublishSettings(pipeline: PipelineCatalog.builtIn("large")!)
        settings.uploadPrepared = uploadPrepared
        settings.chunkSize = chunk
        settings.attemptsWithoutProgress = attempts
        settings.firstRetryPause = 0.01
        settings.statePoll = 0.1
        var logger = Logger(label: "publish-test")
        logger.logLevel = ProcessInfo.processInfo.environment["SLUICE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return Publisher(state: state, settings: settings, runner: EngineRunner(), logger: logger)
    }

    static func sha(_ file: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: file)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aPublishedVideoIsWatchableAndItsJobsAreAnsweredFromThePackage() async throws {
        let server = Self.instance { $0.accessLifetime = 5 }
        let file = try Self.clip(sidecar: """
            name: Summer at the lake
            description: Two weeks of sun.
            tags: [holiday, lake]
            privacy: unlisted
            category: Travels
            """)
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            try await Self.login(url, state: harness.states[0])
            try await harness.run {
                let publication = try await Self.publisher(harness.states[0]).publish(file, to: PublishTarget(instance: url, channel: nil))
                #expect(publication.step == .published)
                #expect(publication.watchURL?.hasPrefix("\(url)/w/") == true)
                let uuid = try #require(publication.videoUUID)
                await server.wait { state in state.jobs.filter { $0.videoUUID == uuid }.allSatisfy { $0.state == .completed } }
            }
            let state = server.snapshot
            let video = try #require(state.accounts.videos.first)
            #expect(state.accounts.videos.count == 1)
            #expect(video.fields["name"] == "Summer at the lake")
            #expect(video.fields["description"] == "Two weeks of sun.")
            #expect(video.tags == ["holiday", "lake"])
            #expect(video.fields["privacy"] == "2")
            #expect(video.fields["category"] == "6")
            #expect(video.fields["channelId"] == "\(state.accounts.channels["alice_channel"]?.id ?? -1)")
            #expect(video.thumbnails == 1, "the package's preview is the thumbnail")
            #expect(try Self.sha(video.file) == (try Self.sha(file)), "the original arrives byte for byte")
            #expect(state.accounts.chunkRequests > 3, "sent in chunks")
            #expect(state.jobs.filter { $0.videoUUID == video.uuid }.count == 4)
            #expect(state.downloads[video.uuid, default: 0] == 0, "every job answered from the package: no download")
            #expect(state.jobs.allSatisfy { $0.failures == 0 })
            let publication = try #require(PublicationStore(state: harness.states[0]).all().first)
            #expect(publication.package == nil && publication.answeredJobs?.count == 4,
                    "answered every job: the package is removed (\(publication.answeredJobs ?? []) of \(publication.expectedJobs ?? []))")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: harness.states[0].appendingPathComponent("packages").path)) ?? []).isEmpty)
        }
    }

    @Test func aPreparedUploadSendsTheTopRungAndItsJobsAreStillAnsweredFromThePackage() async throws {
        let server = Self.instance()
        let file = try Self.clip(named: "prepared")
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            try await Self.login(url, state: harness.states[0])
            try await harness.run {
                let publication = try await Self.publisher(harness.states[0], uploadPrepared: true)
                    .publish(file, to: PublishTarget(instance: url, channel: nil))
                #expect(publication.step == .published)
                let uuid = try #require(publication.videoUUID)
                await server.wait { state in state.jobs.filter { $0.videoUUID == uuid }.allSatisfy { $0.state == .completed } }
            }
            let snapshot = server.snapshot
            let video = try #require(snapshot.accounts.videos.first)
            #expect(try Self.sha(video.file) != (try Self.sha(file)), "the top rung went, not the original")
            let streams = try Demuxer(path: video.file.path).streams
            #expect(streams.first { $0.kind == .video }?.height == 360 && streams.contains { $0.kind == .audio })
            #expect(video.inputFilename == "prepared.mp4")
            #expect(snapshot.downloads[video.uuid, default: 0] == 0)
        }
    }

    @Test func aKilledUploadResumesAtTheInstancesOffsetWithoutASecondVideo() async throws {
        let server = Self.instance { $0.cutChunks = 1 }
        let file = try Self.clip(named: "resumed")
        try await server.serve { url in
            let state = try RunnerMedia.stateFolder()
            try await Self.login(url, state: state)
            let target = PublishTarget(instance: url, channel: "alice_channel", wait: false)
            // The first run gives up at the first failure, as a run killed mid-chunk stops.
            await #expect(throws: PublishError.self) { try await Self.publisher(state, attempts: 1).publish(file, to: target) }
            let stopped = try #require(PublicationStore(state: state).all().first)
            #expect(stopped.step == .uploading && stopped.uploadID != nil)
            let writtenBefore = try #require(server.snapshot.accounts.uploads.values.first).written
            #expect(writtenBefore > stopped.confirmedBytes, "the cut chunk's first half stayed on the instance")
            let publication = try await Self.publisher(state).publish(file, to: target)
            #expect(publication.step == .uploaded)
            let snapshot = server.snapshot
            #expect(snapshot.accounts.videos.count == 1)
            #expect(try Self.sha(try #require(snapshot.accounts.videos.first).file) == (try Self.sha(file)))
            // Published again: already there, nothing sent.
            let requests = snapshot.accounts.chunkRequests
            _ = try await Self.publisher(state).publish(file, to: target)
            #expect(server.snapshot.accounts.chunkRequests == requests && server.snapshot.accounts.videos.count == 1)
        }
    }

    @Test func aLostFinalAnswerFindsTheVideoInsteadOfUploadingItAgain() async throws {
        let server = Self.instance { $0.losesFinalAnswer = true }
        let file = try Self.clip(named: "lost-answer")
        try await server.serve { url in
            let state = try RunnerMedia.stateFolder()
            try await Self.login(url, state: state)
            let target = PublishTarget(instance: url, channel: nil, wait: false)
            await #expect(throws: PublishError.self) { try await Self.publisher(state, attempts: 1).publish(file, to: target) }
            #expect(server.snapshot.accounts.videos.count == 1, "the instance made the video before the answer was lost")
            let publication = try await Self.publisher(state).publish(file, to: target)
            #expect(publication.step == .uploaded)
            #expect(publication.videoUUID == server.snapshot.accounts.videos.first?.uuid)
            #expect(server.snapshot.accounts.videos.count == 1)
        }
    }

    @Test func serverErrorsCutChunksAndExpiredTokensAreAbsorbed() async throws {
        let server = Self.instance { accounts in
            accounts.failingChunks = 3
            accounts.cutChunks = 2
            accounts.accessLifetime = 2
        }
        let file = try Self.clip(named: "faults")
        try await server.serve { url in
            let state = try RunnerMedia.stateFolder()
            try await Self.login(url, state: state)
            // Another process refreshed meanwhile: this one's access token is refused (401 invalid_token).
            server.change { $0.accounts.access = [:] }
            let publication = try await Self.publisher(state).publish(file, to: PublishTarget(instance: url, channel: nil, wait: false))
            #expect(publication.step == .uploaded)
            let snapshot = server.snapshot
            #expect(snapshot.accounts.videos.count == 1)
            #expect(try Self.sha(try #require(snapshot.accounts.videos.first).file) == (try Self.sha(file)))
            #expect(snapshot.accounts.refreshes >= 1)
        }
    }

    @Test func aWrongPasswordARevokedLoginAndAFullQuotaSayWhy() async throws {
        let server = Self.instance { $0.quota = 1000 }
        let file = try Self.clip(named: "quota")
        try await server.serve { url in
            let client = try await PeerTubeLogin.client(of: url)
            do {
                _ = try await PeerTubeLogin.password(instance: url, client: client, username: "alice", password: "wrong")
                Issue.record("a wrong password logged in")
            } catch let error as InstanceError {
                #expect(error.code == "invalid_grant" && error.needsLogin)
                #expect(error.description.contains("user credentials are invalid"))
            }
            let state = try RunnerMedia.stateFolder()
            let target = PublishTarget(instance: url, channel: nil, wait: false)
            await Self.expect(.needsLogin, from: Self.publisher(state), file, target)
            try await Self.login(url, state: state)
            await Self.expect(.quotaReached, from: Self.publisher(state), file, target)
            server.change { $0.accounts.revokeAll(of: "alice") }
            await Self.expect(.needsLogin, from: Self.publisher(state), file, target)
            #expect(server.snapshot.accounts.videos.isEmpty)
        }
    }

    @Test func anUnknownChannelIsRefusedBeforeAnyTranscoding() async throws {
        let server = Self.instance()
        let file = try Self.clip(named: "no-channel")
        try await server.serve { url in
            let state = try RunnerMedia.stateFolder()
            try await Self.login(url, state: state)
            do {
                _ = try await Self.publisher(state).publish(file, to: PublishTarget(instance: url, channel: "nope", wait: false))
                Issue.record("published to a missing channel")
            } catch let error as PublishError {
                #expect(error.kind == .refused && error.reason.contains("Video channel not found"))
            }
            #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("packages").path))
        }
    }

    static func expect(_ kind: PublishError.Kind, from publisher: Publisher, _ file: URL, _ target: PublishTarget) async {
        do {
            _ = try await publisher.publish(file, to: target)
            Issue.record("expected \(kind)")
        } catch {
            #expect(error.kind == kind, "\(error.reason)")
        }
    }
}
