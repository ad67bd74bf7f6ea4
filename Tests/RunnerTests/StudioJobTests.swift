import Foundation
import LibAV
import Testing
import TestSupport
@testable import PeerTubeClient
@testable import Runner

/// Studio jobs against the test instance (runner-live-and-studio.md §2): the task files fetched
/// as PeerTube serves them, every task applied in one pass, the result checked as the instance's
/// own tests do (duration from the tasks within 1 s, the video's size and frame rate, its sound,
/// the watermark where PeerTube puts it), then the new transcoding chain taken like any other.
@Suite struct StudioJobTests {
    static func peertube() -> FakePeerTube { FakePeerTube(registrationTokens: [RunnerHarness.registrationToken]) }

    static func finished(_ uuid: String) -> @Sendable (FakePeerTube.State) -> Bool {
        { state in state.jobs.contains { $0.uuid == uuid && [.completed, .errored].contains($0.state) } }
    }

    static func watermarkTask(file: String, spelling63: Bool = false) -> [String: Any] {
        ["name": "add-watermark", "options": ["file": file, "watermarkSizeRatio": 0.1, "verticalMarginRatio": 0.05,
                                               spelling63 ? "horitonzalMarginRatio" : "horizontalMarginRatio": 0.05]]
    }

    /// PeerTube's `getComplexTask()` on the 6 s upload: cut 1-3 (2 s), outro 5 s (7 s), remove 0-2
    /// and 6-7 (4 s), watermark, intro 2 s: 6 s. The cut's times come as strings, as multipart
    /// text fields leave them.
    @Test func peerTubesComplexEditIsMadeInOnePassAndItsNewChainFollows() async throws {
        let server = Self.peertube()
        let upload = try RunnerMedia.upload()
        let tasks: [[String: Any]] = [
            ["name": "cut", "options": ["start": "1", "end": "3"]],
            ["name": "add-outro", "options": ["file": "outro"]],
            ["name": "remove-segments", "options": ["segments": [["start": 0, "end": 2], ["start": 6, "end": 7]]]],
            Self.watermarkTask(file: "watermark"),
            ["name": "add-intro", "options": ["file": "intro"]],
        ]
        let files = ["outro": try RunnerMedia.outro(), "watermark": try RunnerMedia.watermark(), "intro": try RunnerMedia.silentIntro()]
        let job = server.addStudioEdit(upload, tasks: tasks, files: files, chain: (360, 25))
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            try await harness.run {
                await server.wait { state in
                    state.jobs.filter { $0.videoUUID == job.videoUUID }.count == 3
                        && state.jobs.filter { $0.videoUUID == job.videoUUID }.allSatisfy { $0.state == .completed }
                }
            }
        }
        let edit = try #require(server.jobs.first { $0.uuid == job.uuid })
        #expect(edit.accepts == 1 && edit.failures == 0 && edit.updates >= 1)
        let result = try #require(edit.uploads["payload[videoFile]"])
        #expect(edit.uploadNames["payload[videoFile]"] == "output-edition-\(job.uuid).mp4")
        let demuxer = try Demuxer(path: result.path)
        #expect(abs((demuxer.duration ?? 0).rounded() - 6) <= 1, "lasts \(demuxer.duration ?? 0) s")
        let video = try #require(demuxer.streams.first { $0.kind == .video })
        #expect(video.width == 640 && video.height == 360)
        #expect(Int((video.framesPerSecond ?? 0).rounded()) == 25)
        #expect(demuxer.streams.contains { $0.kind == .audio })
        // 36 px high (10 % of 360), 18 px from the top and the right (5 % of the height), after the 2 s intro.
        let mark = try PictureColor.average(result.path, at: 4, x: 640 - 18 - 30, y: 24, size: 24, scratch: RunnerMedia.folder)
        #expect(mark.isMagenta, "the watermark where PeerTube puts it: \(mark)")
        let intro = try PictureColor.average(result.path, at: 0.5, x: 640 - 18 - 30, y: 24, size: 24, scratch: RunnerMedia.folder)
        #expect(!intro.isMagenta, "the intro comes after the watermark task: unmarked")
        // The new chain transcoded the edit, not the original.
        let optimize = try #require(server.jobs.first { $0.videoUUID == job.videoUUID && $0.type == "vod-web-video-transcoding" })
        let optimized = try Demuxer(path: try #require(optimize.uploads["payload[videoFile]"]).path)
        #expect(abs((optimized.duration ?? 0) - (demuxer.duration ?? 0)) < 0.5)
    }

    /// A 6.3 instance spells the watermark's horizontal margin `horitonzalMarginRatio`; a cut with
    /// only an end keeps the start.
    @Test func aPeerTube63PayloadIsReadAsItIsSpelled() async throws {
        let server = Self.peertube()
        let tasks: [[String: Any]] = [["name": "cut", "options": ["end": 4]], Self.watermarkTask(file: "watermark", spelling63: true)]
        let job = server.addStudioEdit(try RunnerMedia.upload(), tasks: tasks, files: ["watermark": try RunnerMedia.watermark()])
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            try await harness.run { await server.wait(until: Self.finished(job.uuid)) }
        }
        let edit = try #require(server.jobs.first { $0.uuid == job.uuid })
        #expect(edit.state == .completed, "\(edit.lastMessage ?? "")")
        let result = try #require(edit.uploads["payload[videoFile]"])
        #expect(abs((try Demuxer(path: result.path).duration ?? 0) - 4) < 0.25)
        let mark = try PictureColor.average(result.path, at: 1, x: 640 - 18 - 30, y: 24, size: 24, scratch: RunnerMedia.folder)
        #expect(mark.isMagenta, "\(mark)")
    }

    /// A task this runner cannot make leaves the job to another runner (the official runner does
    /// the same with unknown tasks); a file that is no video fails the job with the reason, and
    /// the runner goes on with the next.
    @Test func unknownTasksAreLeftAndBrokenFilesFailTheJobAlone() async throws {
        let server = Self.peertube()
        let notVideo = RunnerMedia.folder.appendingPathComponent("intro-not-video.mp4")
        try Data(repeating: 9, count: 8192).write(to: notVideo)
        let unknown = server.addStudioEdit(try RunnerMedia.upload(), tasks: [["name": "add-subtitles", "options": ["file": "x"]]])
        let broken = server.addStudioEdit(try RunnerMedia.upload(), tasks: [["name": "add-intro", "options": ["file": "intro"]]],
                                          files: ["intro": notVideo])
        let fine = server.addStudioEdit(try RunnerMedia.upload(), tasks: [["name": "cut", "options": ["start": 2]]])
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            try await harness.run {
                await server.wait { state in Self.finished(broken.uuid)(state) && Self.finished(fine.uuid)(state)
                    && state.jobs.first { $0.uuid == broken.uuid }?.state == .errored }
            }
        }
        let jobs = server.jobs
        #expect(jobs.first { $0.uuid == unknown.uuid }?.accepts == 0, "never taken")
        let failed = try #require(jobs.first { $0.uuid == broken.uuid })
        #expect(failed.failures == 5 && failed.error?.contains("add-intro file") == true, "\(failed.error ?? "")")
        let done = try #require(jobs.first { $0.uuid == fine.uuid })
        #expect(done.state == .completed)
        let result = try #require(done.uploads["payload[videoFile]"])
        #expect(abs((try Demuxer(path: result.path).duration ?? 0) - 4) < 0.25)
    }
}
