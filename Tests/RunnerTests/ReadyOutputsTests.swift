import Foundation
import Packaging
import Testing
import Transcoding
@testable import Runner
@testable import PeerTubeClient

/// Renditions made ahead: which jobs they serve, and when their files go.
@Suite struct ReadyOutputsTests {
    func rendition(_ resolution: Int, fps: Int?) -> PackageManifest.Rendition {
        PackageManifest.Rendition(resolution: resolution, width: nil, height: nil, fps: fps, file: "\(resolution).mp4", playlist: "\(resolution).m3u8",
                                  size: 1, bandwidth: 1, averageBandwidth: 1, codecs: "", segments: 1, duration: 6)
    }

    func job(_ kind: RunnerJob.Kind, _ resolution: Int, fps: Int, separatedAudio: Bool = false) -> RunnerJob {
        RunnerJob(uuid: UUID().uuidString, kind: kind, inputURL: "", videoUUID: "v", resolution: resolution, fps: fps,
                  separatedAudio: separatedAudio)
    }

    @Test func theFilesGoOnceEveryAwaitedJobIsPosted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ready-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ready = ReadyOutputs()
        let result = TranscodeResult(directory: folder.path, master: "", videoUUID: "v", duration: 6, elapsed: 1, speed: 6,
                                     renditions: [rendition(360, fps: 25), rendition(240, fps: 25), rendition(0, fps: nil)])
        ready.store(instance: "i", videoUUID: "v", result: result, splitAudio: false,
                    awaiting: [.init(kind: .hls, resolution: 240, fps: 25), .init(kind: .webVideo, resolution: 0, fps: 0)], folder: folder)

        #expect(ready.result(for: job(.hls, 240, fps: 30), instance: "i") == nil, "another frame rate is another encode")
        #expect(ready.result(for: job(.hls, 240, fps: 25, separatedAudio: true), instance: "i") == nil, "a video-only rung is not this one")
        #expect(ready.result(for: job(.hls, 240, fps: 25), instance: "other") == nil)
        let lower = job(.hls, 240, fps: 25)
        #expect(ready.result(for: lower, instance: "i") == result)

        ready.delivered(lower, instance: "i")
        #expect(FileManager.default.fileExists(atPath: folder.path), "the podcast audio is still awaited")
        ready.delivered(job(.webVideo, 0, fps: 0), instance: "i")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(ready.isEmpty)
    }
}
