import Foundation
import Jobs
import LibAV
import TestSupport
import Testing
@testable import Runner
@testable import PeerTubeClient

@Suite(.serialized, .timeLimit(.minutes(2))) struct RunnerServiceTests {
    func peertube(ignoresJobTypes: Bool = false) -> FakePeerTube {
        FakePeerTube(registrationTokens: [RunnerHarness.registrationToken], ignoresJobTypes: ignoresJobTypes)
    }

    static func done(_ video: String) -> @Sendable (FakePeerTube.State) -> Bool {
        { state in state.jobs.filter { $0.videoUUID == video }.allSatisfy { $0.state == .completed } }
    }

    @Test func oneRunnerTakesAnUploadsWholeChainDecodingItsSiblingsOnce() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25), (144, 25)])
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        let jobs = server.jobs
        #expect(jobs.count == 5)
        // One download for the optimize job, one for its four siblings, made in one pass.
        #expect(server.snapshot.downloads.values.first == 2)
        for job in jobs {
            #expect(job.accepts == 1 && job.failures == 0, "\(job.type) \(job.resolution)p done once")
            #expect(job.updates >= 1, "\(job.type) \(job.resolution)p kept alive")
        }
        for job in jobs where job.type == "vod-hls-transcoding" {
            let media = try #require(job.uploads["payload[videoFile]"])
            let playlist = try String(contentsOf: try #require(job.uploads["payload[resolutionPlaylistFile]"]), encoding: .utf8)
            #expect(playlist.range(of: #"#EXT-X-MAP:URI="[0-9a-f-]{36}-\#(job.resolution)-fragmented\.mp4""#, options: .regularExpression) != nil)
            #expect(playlist.contains("#EXT-X-BYTERANGE:"))
            let streams = try Demuxer(path: media.path).streams
            let video = try #require(streams.first { $0.kind == .video })
            #expect(min(video.width ?? 0, video.height ?? 0) == job.resolution)
            #expect(streams.contains { $0.kind == .audio })
        }
        let podcast = try #require(jobs.first { $0.type == "vod-web-video-transcoding" && $0.resolution == 0 })
        let audio = try Demuxer(path: try #require(podcast.uploads["payload[videoFile]"]).path).streams
        #expect(audio.map(\.kind) == [.audio])
    }

    @Test func withTheInstancesConfigTheOptimizePassMakesTheWholeLadder() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        server.publishConfig(resolutions: [240, 144, 0])
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25), (144, 25)])
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        #expect(server.snapshot.downloads.values.first == 1, "one download and one decode for all five jobs")
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
        let hls = try #require(server.jobs.first { $0.type == "vod-hls-transcoding" && $0.resolution == 144 })
        let streams = try Demuxer(path: try #require(hls.uploads["payload[videoFile]"]).path).streams
        #expect(streams.first { $0.kind == .video }?.height == 144)
    }

    @Test func webVideosAndHLSWithAStoryboardFollowTheirChainFromOneDecode() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        server.publishConfig(resolutions: [240, 144, 0], webVideos: true)
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25), (144, 25)], webVideos: true, storyboard: true)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        let jobs = server.jobs
        #expect(jobs.count == 8)
        for job in jobs {
            #expect(job.accepts == 1 && job.failures == 0 && job.state == .completed,
                    "\(job.type) \(job.resolution)p: \(job.accepts) accepts, \(job.failures) failures, \(job.lastMessage ?? "")")
        }
        #expect(server.snapshot.downloads.values.first == 1, "the optimize pass made every web video and HLS rendition")
        for job in jobs where job.type == "vod-web-video-transcoding" && job.resolution > 0 {
            let file = try #require(job.uploads["payload[videoFile]"])
            let web = try Demuxer(path: file.path)
            let streams = web.streams
            #expect(abs((web.duration ?? 0) - 6) < 0.2, "the 6 s upload lasts \(web.duration ?? 0) s as a web video")
            #expect(streams.first { $0.kind == .video }?.height == job.resolution)
            #expect(streams.contains { $0.kind == .audio })
            // A progressive MP4 with its index first, as PeerTube's `-movflags faststart` writes: ftyp, moov, free, mdat.
            let boxes = try Self.topLevelBoxes(file)
            #expect(boxes.first == "ftyp" && !boxes.contains("moof"), "\(boxes)")
            #expect((boxes.firstIndex(of: "moov") ?? .max) < (boxes.firstIndex(of: "mdat") ?? -1), "\(boxes)")
        }
    }

    @Test func aPortrait60FpsClipKeepsItsOrientationAndHalvesTheLowerRungsFrameRate() async throws {
        let server = peertube()
        let source = try RunnerMedia.portrait60()
        server.publishConfig(resolutions: [240, 144, 0])
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 60, lower: [(240, 30), (144, 30)])
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
        #expect(server.snapshot.downloads.values.first == 1)
        let expected = [360: (360, 640, 60.0), 240: (240, 426, 30.0), 144: (144, 256, 30.0)]
        for job in server.jobs where job.type == "vod-hls-transcoding" {
            let streams = try Demuxer(path: try #require(job.uploads["payload[videoFile]"]).path).streams
            let picture = try #require(streams.first { $0.kind == .video })
            let (width, height, fps) = try #require(expected[job.resolution])
            #expect(picture.width == width && picture.height == height, "\(job.resolution)p is \(picture.width ?? 0)x\(picture.height ?? 0)")
            #expect(abs((picture.framesPerSecond ?? 0) - fps) < 0.5, "\(job.resolution)p at \(picture.framesPerSecond ?? 0) fps")
        }
    }

    @Test func withZeroPEnabledTheAudioOnlyHLSRenditionComesFromTheSamePass() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        server.publishConfig(resolutions: [240, 0], podcast: false)
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], podcast: false, audioOnlyHLS: true)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        #expect(server.jobs.count == 5)
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
        #expect(server.snapshot.downloads.values.first == 1)
        let audio = try #require(server.jobs.first { $0.type == "vod-hls-transcoding" && $0.resolution == 0 })
        #expect(try Demuxer(path: try #require(audio.uploads["payload[videoFile]"]).path).streams.map(\.kind) == [.audio])
        let playlist = try String(contentsOf: try #require(audio.uploads["payload[resolutionPlaylistFile]"]), encoding: .utf8)
        #expect(playlist.contains("#EXT-X-BYTERANGE:"))
    }

    @Test func jobsTheConfigDidNotPredictAreMadeInAPassOfTheirOwn() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        // The config lists 240p only; a plugin hook made the instance queue 144p too.
        server.publishConfig(resolutions: [240], podcast: false)
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25), (144, 25)], podcast: false)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        #expect(server.snapshot.downloads.values.first == 2)
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
    }

    @Test func everyPassRunsInAChildProcessAsInService() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        let sluice = try Self.sluiceExecutable()
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.runner = IsolatedRunner(executable: sluice, limits: ProcessLimits(memory: 2 << 30, niceness: 0))
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], podcast: true)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        for job in server.jobs {
            #expect(job.accepts == 1 && job.failures == 0 && job.state == .completed, "\(job.type) \(job.resolution)p: \(job.accepts) accepts, \(job.failures) failures, \(job.lastMessage ?? "")")
        }
    }

    @Test func anAudioUploadBecomesTheVideoOfItsPreviewThenItsLadder() async throws {
        let server = peertube()
        let (audio, preview) = try RunnerMedia.audioUpload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addAudioUpload(audio, preview: preview, lower: [360, 240])
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
        let merge = try #require(server.jobs.first { $0.type == "vod-audio-merge-transcoding" })
        let merged = try #require(merge.uploads["payload[videoFile]"])
        let streams = try Demuxer(path: merged.path).streams
        let picture = try #require(streams.first { $0.kind == .video })
        #expect(picture.height == 480 && picture.width == 850)
        #expect(streams.contains { $0.kind == .audio })
        // The picture is the preview's test pattern, not the plain background: not one flat colour.
        #expect(try FirstPicture.lumaSpread(merged) > 10)
        let rendition = try #require(server.jobs.first { $0.type == "vod-hls-transcoding" && $0.resolution == 240 })
        #expect(try Demuxer(path: try #require(rendition.uploads["payload[videoFile]"]).path).streams.first { $0.kind == .video }?.height == 240)
    }

    @Test func aStoryboardJobIsMadeInTheOptimizePassWithItsOwnLayout() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], podcast: false, storyboard: true)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
        let storyboard = try #require(server.jobs.first { $0.type == "generate-video-storyboard" })
        let sheet = try #require(storyboard.uploads["payload[storyboardFile]"])
        let picture = try #require(try Demuxer(path: sheet.path).streams.first { $0.kind == .video })
        #expect(picture.width == 576 && picture.height == 216)
        // Pending together with the optimize job at upload: one download served both.
        #expect(server.snapshot.downloads.values.first == 2)
    }

    @Test func aStoryboardJobAloneMakesOnlyTheSheet() async throws {
        // A runner enabled for storyboards only (or beaten to the optimize job by another runner).
        let server = peertube()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.jobTypes = [.storyboard]
            server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false, storyboard: true)
            try await harness.run {
                await server.wait { state in state.jobs.contains { $0.type == "generate-video-storyboard" && $0.state == .completed } }
            }
        }
        let storyboard = try #require(server.jobs.first { $0.type == "generate-video-storyboard" })
        #expect(storyboard.accepts == 1 && storyboard.failures == 0, "\(storyboard.lastMessage ?? "")")
        let sheet = try #require(storyboard.uploads["payload[storyboardFile]"])
        let picture = try #require(try Demuxer(path: sheet.path).streams.first { $0.kind == .video })
        #expect(picture.width == 576 && picture.height == 216)
        #expect(server.jobs.first { $0.type == "vod-web-video-transcoding" }?.accepts == 0, "the optimize job is not this runner's type")
    }

    @Test func aVideoFileWithItsAudioApartIsJoinedBeforeTheTranscode() async throws {
        let server = peertube()
        let (videoOnly, audioOnly) = try RunnerMedia.splitUpload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addManualWebVideos(video: videoOnly, audio: audioOnly, resolutions: [(360, 25), (240, 25)])
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        for job in server.jobs {
            #expect(job.accepts == 1 && job.failures == 0, "\(job.resolution)p: \(job.lastMessage ?? "")")
            let result = try Demuxer(path: try #require(job.uploads["payload[videoFile]"]).path)
            #expect(result.streams.first { $0.kind == .video }?.height == job.resolution)
            #expect(result.streams.contains { $0.kind == .audio }, "\(job.resolution)p has the separate file's audio")
            #expect(abs((result.duration ?? 0) - 6) < 0.2)
        }
        #expect(server.snapshot.downloads.values.first == 2, "the video file and the audio file, once for both jobs")
    }

    @Test func splitAudioMakesVideoOnlyRungsAndTheAudioRung() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], splitAudio: true, podcast: false)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        for job in server.jobs where job.type == "vod-hls-transcoding" {
            let streams = try Demuxer(path: try #require(job.uploads["payload[videoFile]"]).path).streams
            #expect(streams.map(\.kind) == (job.resolution == 0 ? [.audio] : [.video]), "\(job.resolution)p")
        }
    }

    @Test func withSplitAudioInTheConfigTheOptimizePassMakesEveryJob() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        server.publishConfig(resolutions: [240, 0], splitAudio: true)
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], splitAudio: true)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        #expect(server.jobs.count == 5)
        for job in server.jobs {
            #expect(job.accepts == 1 && job.failures == 0 && job.state == .completed,
                    "\(job.type) \(job.resolution)p: \(job.accepts) accepts, \(job.failures) failures, \(job.lastMessage ?? "")")
        }
        #expect(server.snapshot.downloads.values.first == 1, "one download and one decode for the optimize file and all four siblings")
        for job in server.jobs {
            let file = try Demuxer(path: try #require(job.uploads["payload[videoFile]"]).path)
            let kinds = file.streams.map(\.kind)
            #expect(abs((file.duration ?? 0) - 6) < 0.2, "\(job.type) \(job.resolution)p lasts \(file.duration ?? 0) s")
            switch (job.type, job.resolution) {
            case ("vod-web-video-transcoding", 0): #expect(kinds == [.audio], "the podcast file")
            case ("vod-web-video-transcoding", _): #expect(kinds == [.video, .audio], "the optimize file has its audio joined back")
            case (_, 0): #expect(kinds == [.audio], "the audio rung")
            default: #expect(kinds == [.video], "\(job.resolution)p is video only")
            }
        }
    }

    @Test func aBrokenUploadEndsErroredWithItsReasonAndTheRunnerKeepsServing() async throws {
        let server = peertube()
        let broken = try RunnerMedia.broken()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let bad = server.addUpload(broken, top: 360, fps: 25, lower: [], podcast: false)
            try await harness.run {
                await server.wait { state in state.jobs.contains { $0.videoUUID == bad && $0.state == .errored } }
                let good = server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
                await server.wait(until: Self.done(good))
            }
        }
        let failed = try #require(server.jobs.first { $0.state == .errored })
        #expect(failed.failures == 5)
        #expect(failed.error?.contains("is not a video or audio file FFmpeg can read") == true, "\(failed.error ?? "")")
        #expect(!(failed.error ?? "").contains("\n"))
        #expect(server.jobs.filter { $0.parent == failed.uuid }.allSatisfy { $0.state == .parentErrored })
    }

    /// A pass that hangs inside FFmpeg (here the decoder, through the fault shim) would hold its
    /// jobs forever, kept alive by `/update`: the stall watchdog ends it and the job fails with
    /// that reason, each time, until the instance errors it; the runner then serves the next upload.
    @Test func aPassThatHangsInsideFFmpegIsEndedAndReportedAsStalled() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        let shim = try FaultShim.library(in: RunnerMedia.stateFolder())
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            var runner = IsolatedRunner(executable: try Self.sluiceExecutable(), limits: ProcessLimits(memory: 2 << 30, niceness: 0),
                                        environment: ["LD_PRELOAD": shim.path, "FAULT_SHIM_MARKER": "DECODEHANG"])
            runner.terminationGrace = 0.5
            harness.runner = runner
            harness.stallTimeout = 2
            // Scaled, so the pass decodes (a copied rung alone decodes nothing).
            let video = server.addUpload(source, top: 240, fps: 25, lower: [], podcast: false)
            try await harness.run {
                await server.wait { state in state.jobs.contains { $0.videoUUID == video && $0.state == .errored } }
            }
        }
        let failed = try #require(server.jobs.first { $0.state == .errored })
        #expect(failed.failures == 5)
        #expect(failed.error?.hasPrefix("stalled: no progress for 2 s at 00:00:") == true, "\(failed.error ?? "")")
    }

    @Test func aFullDiskGivesTheJobBackInsteadOfChargingTheVideo() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.runner = DiskFullOnceRunner()
            let video = server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        let optimize = try #require(server.jobs.first { $0.type == "vod-web-video-transcoding" })
        #expect(optimize.failures == 0, "no failure counted against the upload: \(optimize.lastMessage ?? "")")
        #expect(optimize.accepts == 2, "given back with /abort, then taken again once the pause was over")
        #expect(server.jobs.allSatisfy { $0.state == .completed })
    }

    @Test func aJobTakenAwayIsDroppedAndDoneAgainOnce() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
            try await harness.run {
                await server.wait { state in state.jobs.contains { $0.state == .processing } }
                // The stall watchdog (or an admin) takes it back: the runner's token now gets 404.
                if let held = server.jobs.first(where: { $0.state == .processing }) { server.resetToPending(held.uuid) }
                await server.wait(until: Self.done(video))
            }
        }
        let optimize = try #require(server.jobs.first { $0.type == "vod-web-video-transcoding" })
        #expect(optimize.accepts == 2 && optimize.failures == 0)
        #expect(server.jobs.allSatisfy { $0.state == .completed })
    }

    @Test func resultsWaitingTheirTurnToUploadAreKeptAlive() async throws {
        // Each result takes 0.4 s to post and a job silent for 1 s is taken back: the fourth of
        // four siblings waits 1.2 s for its turn, so it must be updated while the others upload.
        let server = FakePeerTube(registrationTokens: [RunnerHarness.registrationToken], stallLimit: .seconds(1),
                                  successDelay: .milliseconds(400))
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25), (144, 25)])
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        for job in server.jobs {
            #expect(job.accepts == 1 && job.stalls == 0, "\(job.type) \(job.resolution)p: \(job.accepts) accepts, \(job.stalls) stalls")
        }
    }

    @Test func theNextVideosPassRunsWhileResultsUpload() async throws {
        // One slot, and each result takes 0.5 s to post: the second upload's pass starts as soon
        // as the first one's pass ends, not after its results are in.
        let server = FakePeerTube(registrationTokens: [RunnerHarness.registrationToken], successDelay: .milliseconds(500))
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let first = server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
            let second = server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
            try await harness.run {
                await server.wait(until: Self.done(first))
                await server.wait(until: Self.done(second))
            }
        }
        let optimizes = server.jobs.filter { $0.type == "vod-web-video-transcoding" }
        let posted = try #require(optimizes.compactMap(\.completedAt).min())
        let secondAccepted = try #require(optimizes.compactMap(\.acceptedAt).max())
        #expect(secondAccepted < posted, "the second video was taken while the first one's result was uploading")
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
    }

    @Test func stoppingGivesEveryHeldJobBack() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        let harness = try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
            try await harness.run {
                await server.wait { state in state.jobs.contains { $0.state == .processing } }
            }
            return harness
        }
        #expect(server.jobs.allSatisfy { $0.state != .processing })
        #expect(server.jobs.allSatisfy { $0.failures == 0 })
        #expect(HeldJournal(state: harness.states[0]).all().isEmpty)
    }

    @Test func jobsHeldByAKilledRunnerAreGivenBackAtItsNextStart() async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
            // What a runner killed mid-job leaves: an accepted job in its journal.
            let instance = try #require(try RunnerRegistry(state: harness.states[0]).instances().first)
            let api = RunnerAPI(instance: url)
            let job = try #require(try await api.requestJobs(runnerToken: instance.runnerToken, jobTypes: ["vod-web-video-transcoding"],
                                                             version: "0.1.0").first)
            let token = try await api.accept(job, runnerToken: instance.runnerToken)
            HeldJournal(state: harness.states[0]).add([HeldJob(instance: url, uuid: job.uuid, runnerToken: instance.runnerToken, jobToken: token)])
            try await harness.run { await server.wait(until: Self.done(video)) }
        }
        let optimize = try #require(server.jobs.first { $0.type == "vod-web-video-transcoding" })
        #expect(optimize.accepts == 2 && optimize.failures == 0 && optimize.state == .completed)
    }

    @Test func theRealRunnerKilledMidJobLosesNothingAndSIGTERMLeavesNothingHeld() async throws {
        let server = peertube()
        let source = try RunnerMedia.longUpload()
        let sluice = try Self.sluiceExecutable()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let arguments = ["runner", "serve", "--state", harness.states[0].path, "--poll", "0.2", "--http", "off", "--log-format", "json"]
            let video = server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], podcast: false)
            let first = try Self.start(sluice, arguments)
            await server.wait { state in state.jobs.contains { $0.state == .processing && $0.updates > 0 } }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(server.jobs.contains { $0.state == .processing }, "killed while holding its job")
            let second = try Self.start(sluice, arguments)
            await server.wait(until: Self.done(video))
            kill(second.processIdentifier, SIGTERM)
            second.waitUntilExit()
            #expect(second.terminationReason == .exit && second.terminationStatus == 0)
        }
        let optimize = try #require(server.jobs.first { $0.type == "vod-web-video-transcoding" })
        #expect(optimize.accepts == 2 && optimize.failures == 0, "given back at the restart and done then")
        #expect(server.jobs.allSatisfy { $0.state == .completed && $0.failures == 0 })
    }

    static func sluiceExecutable() throws -> URL {
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        let sluice = bundle.deletingLastPathComponent().appendingPathComponent("sluice")
        try #require(FileManager.default.isExecutableFile(atPath: sluice.path), "no sluice executable at \(sluice.path)")
        return sluice
    }

    static func start(_ executable: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(arguments: [false, true])
    func twoRunnersShareTheJobsWithoutDoingAnyTwice(withConfig: Bool) async throws {
        let server = peertube()
        let source = try RunnerMedia.upload()
        // With the config each optimize pass makes its siblings ahead, and the other runner may
        // still take some of them when they are released.
        if withConfig { server.publishConfig(resolutions: [240], podcast: false) }
        try await server.serve { url in
            let harness = try await RunnerHarness.register(2, at: url)
            let videos = (0..<3).map { _ in server.addUpload(source, top: 360, fps: 25, lower: [(240, 25)], podcast: false) }
            try await harness.run {
                for video in videos { await server.wait(until: Self.done(video)) }
            }
        }
        #expect(server.jobs.count == 9)
        #expect(server.jobs.allSatisfy { $0.accepts == 1 && $0.failures == 0 && $0.state == .completed })
    }

    @Test func aServerThatIgnoresJobTypesStillGetsOnlyTheTypesAsked() async throws {
        let server = peertube(ignoresJobTypes: true)
        let source = try RunnerMedia.upload()
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let video = server.addUpload(source, top: 360, fps: 25, lower: [], podcast: false)
            let transcription = server.change { state -> String in
                let job = FakeJob(type: "video-transcription", videoUUID: video, resolution: 0, fps: 0, state: .pending, priority: 1)
                state.jobs.append(job)
                return job.uuid
            }
            try await harness.run {
                await server.wait { state in
                    state.jobs.filter { $0.type != "video-transcription" }.allSatisfy { $0.state == .completed }
                }
            }
            #expect(server.jobs.first { $0.uuid == transcription }?.accepts == 0)
        }
    }

    /// The names of an MP4's top-level boxes, in file order.
    static func topLevelBoxes(_ file: URL) throws -> [String] {
        let data = try Data(contentsOf: file)
        var names: [String] = []
        var offset = 0
        while offset + 8 <= data.count {
            let size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            names.append(String(decoding: data[offset + 4..<offset + 8], as: UTF8.self))
            guard size >= 8 else { break }
            offset += size
        }
        return names
    }
}
