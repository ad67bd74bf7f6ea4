import Foundation
import LibAV
import Testing
@testable import PeerTubeClient
@testable import Runner

/// The runner against servers that speak the protocol in other dialects than PeerTube's own, as
/// the official runner tolerates them: string or missing runner ids, Django-style errors, idle
/// keep-alive connections closed as the poll comes, socket.io notifications, an instance that
/// goes away and comes back, and HLS jobs whose input is an audio file.
@Suite(.serialized, .timeLimit(.minutes(2))) struct InteroperabilityTests {
    static let token = RunnerHarness.registrationToken

    @Test(arguments: [ServerDialect.RunnerID.uuidString, .none])
    func onlyTheRunnerTokenOfARegistrationIsRequired(id: ServerDialect.RunnerID) async throws {
        let server = FakePeerTube(registrationTokens: [Self.token], dialect: ServerDialect(runnerID: id))
        let state = try RunnerMedia.stateFolder()
        try await server.serve { url in
            let registration = RunnerRegistration(state: state, version: "0.1.0")
            let instance = try await registration.register(url: url, registrationToken: Self.token, name: "sluice", description: nil)
            #expect(instance.runnerToken.hasPrefix("ptrt-"))
            #expect((instance.runnerID != nil) == (id == .uuidString))
            #expect(try RunnerRegistry(state: state).instances() == [instance], "kept and read back")
        }
    }

    @Test func aDjangoStyleRefusalIsShownWithItsReason() async throws {
        let server = FakePeerTube(registrationTokens: [Self.token], dialect: ServerDialect(djangoErrors: true))
        try await server.serve { url in
            _ = try await RunnerRegistration(state: try RunnerMedia.stateFolder(), version: "0.1.0")
                .register(url: url, registrationToken: Self.token, name: "taken", description: nil)
            let again = RunnerRegistration(state: try RunnerMedia.stateFolder(), version: "0.1.0")
            await #expect { try await again.register(url: url, registrationToken: Self.token, name: "taken", description: nil) }
                throws: { "\($0)".contains("name: Runner with this Name already exists. (HTTP 400)") }
        }
    }

    @Test func errorBodiesOfEveryShapeBecomeOneLine() {
        let cases: [(String, String)] = [
            (#"{"type":"about:blank","status":404,"detail":"Unknown runner token","code":"unknown_runner_token"}"#, "Unknown runner token"),
            (#"{"errors":[{"name":["Runner with this Name already exists."]}]}"#, "name: Runner with this Name already exists."),
            (#"{"name":["This field is required."],"non_field_errors":["Bad token."]}"#, "name: This field is required.; Bad token."),
            (#"{"error":"invalid_grant","error_description":"Invalid grant"}"#, "invalid_grant"),
            (#"{"message":"Job not found"}"#, "Job not found"),
            ("<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>", "502 Bad Gateway nginx"),
            ("", "the instance answered HTTP 500"),
        ]
        for (body, reason) in cases {
            #expect(InstanceError.from(status: 500, body: Data(body.utf8)).detail == reason, "\(body)")
        }
        #expect(InstanceError.from(status: 500, body: Data(String(repeating: "x ", count: 500).utf8)).detail.count <= 300)
    }

    /// uvicorn and Node close a keep-alive connection idle for 5 s, the runner's poll interval:
    /// a client that reuses it unawares waits its whole timeout (a deaf minute). Here the server
    /// closes idle connections after exactly the poll interval and every poll still goes out on time.
    @Test func aServerThatClosesIdleConnectionsAsThePollComesIsNeverWaitedFor() async throws {
        let server = FakePeerTube(registrationTokens: [Self.token], dialect: ServerDialect(idleTimeout: .milliseconds(300)))
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.pollInterval = 0.3
            try await harness.run { await server.wait { $0.requestTimes.count >= 25 } }
        }
        let times = server.snapshot.requestTimes
        let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
        #expect((gaps.max() ?? 0) < 3, "longest silence between polls: \(gaps.max() ?? 0) s")
    }

    @Test func availableJobsOverSocketIOAreTakenAtOnceWithoutWaitingForAPoll() async throws {
        let server = FakePeerTube(registrationTokens: [Self.token], dialect: ServerDialect(socketPingInterval: .milliseconds(200)))
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.pollInterval = 60  // a poll would come far too late to explain the accept
            try await harness.run {
                await server.wait { $0.sockets == 1 }
                await server.wait { _ in server.sockets.pongs >= 2 }
                let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], podcast: false)
                await server.wait(until: RunnerServiceTests.done(video))
            }
        }
        for job in server.jobs {
            let waited = try #require(job.acceptedAt).timeIntervalSince(job.createdAt)
            #expect(waited < 5, "\(job.type) \(job.resolution)p accepted \(waited) s after it was queued")
        }
        #expect(server.jobs.allSatisfy { $0.state == .completed && $0.failures == 0 })
    }

    @Test func aRefusedSocketLeavesPollingToDoTheWork() async throws {
        let server = FakePeerTube(registrationTokens: [Self.token],
                                  dialect: ServerDialect(socketPingInterval: .milliseconds(200), refusesSockets: true))
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            try await harness.run {
                let video = server.addUpload(source, top: 240, fps: 25, lower: [], podcast: false)
                await server.wait(until: RunnerServiceTests.done(video))
            }
        }
        #expect(server.snapshot.sockets == 0)
        #expect(server.jobs.allSatisfy { $0.state == .completed })
    }

    @Test func anInstanceThatGoesAwayIsPolledLessOftenAndServedWhenItComesBack() async throws {
        let server = FakePeerTube(registrationTokens: [Self.token])
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.pollInterval = 0.2
            try await harness.run {
                await server.wait { $0.requests >= 1 }
                server.change { $0.unavailable = true }
                await server.wait { $0.refusedWhileUnavailable >= 4 }
                let video = server.addUpload(source, top: 240, fps: 25, lower: [], podcast: false)
                server.change { $0.unavailable = false }
                await server.wait(until: RunnerServiceTests.done(video))
            }
        }
        #expect(server.jobs.allSatisfy { $0.state == .completed && $0.failures == 0 })
    }

    @Test func backoffDoublesToAMinuteAndSaysWhenAnOutageStartsAndEnds() {
        let backoff = InstanceBackoff(base: 5)
        let start = Date()
        let first = backoff.failed("a", now: start)
        #expect(first.startsOutage && first.retryIn == 5)
        #expect(!backoff.mayPoll("a", now: start.addingTimeInterval(4)))
        #expect(backoff.mayPoll("a", now: start.addingTimeInterval(5)))
        #expect(backoff.mayPoll("b", now: start), "other instances are not held back")
        let delays = (0..<6).map { _ in backoff.failed("a", now: start) }.map(\.retryIn)
        #expect(delays == [10, 20, 40, 60, 60, 60])
        #expect(!delays.isEmpty && !backoff.failed("a", now: start).startsOutage)
        #expect(backoff.answered("a"))
        #expect(!backoff.answered("a"), "the outage ended once")
    }

    @Test func hlsJobsWhoseInputIsAnAudioFileAreMadeAtTheAskedResolutionsAndRates() async throws {
        let server = FakePeerTube(registrationTokens: [Self.token])
        let (audio, preview) = try RunnerMedia.audioUpload()
        let rungs = [(resolution: 480, fps: 24), (resolution: 360, fps: 30), (resolution: 240, fps: 24)]
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let withPreview = server.addAudioHLSJobs(audio, preview: preview, rungs: rungs)
            let withoutPreview = server.addAudioHLSJobs(try RunnerMedia.mp3(), preview: nil, rungs: [(resolution: 720, fps: 25)])
            try await harness.run {
                await server.wait(until: RunnerServiceTests.done(withPreview))
                await server.wait(until: RunnerServiceTests.done(withoutPreview))
            }
        }
        for job in server.jobs {
            #expect(job.state == .completed && job.failures == 0, "\(job.resolution)p: \(job.lastMessage ?? "")")
            let file = try #require(job.uploads["payload[videoFile]"])
            let picture = try #require(try Demuxer(path: file.path).streams.first { $0.kind == .video })
            #expect(min(picture.width ?? 0, picture.height ?? 0) == job.resolution)
            #expect(picture.framesPerSecond.map { abs($0 - Double(job.fps)) < 0.01 } == true, "\(job.resolution)p at \(picture.framesPerSecond ?? 0)")
        }
    }
}
