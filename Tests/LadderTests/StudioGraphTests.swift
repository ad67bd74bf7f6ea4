import Testing
@testable import Ladder

/// The studio graph's arithmetic and the payload as PeerTube 6.3 to 8.2 send it (pure, no media).
@Suite struct StudioGraphTests {
    static let main = StudioMedia(path: "/work/input", width: 640, height: 360, fps: 25, hasAudio: true, duration: 5)
    static let files = [
        "/work/outro.mp4": StudioMedia(path: "/work/outro.mp4", width: 1280, height: 720, fps: 50, hasAudio: true, duration: 5),
        "/work/intro.mp4": StudioMedia(path: "/work/intro.mp4", width: 320, height: 240, fps: 30, hasAudio: false, duration: 2),
        "/work/mark.png": StudioMedia(path: "/work/mark.png", width: 64, height: 64, fps: 25, hasAudio: false, duration: 0.04),
    ]

    /// PeerTube's `getComplexTask()` on a 5 s video lasts 6 s.
    @Test func peerTubesComplexEditLastsSixSeconds() throws {
        let tasks: [StudioTask] = [.cut(start: 1, end: 3), .outro(file: "/work/outro.mp4"), .removeSegments([0...2, 6...7]),
                                   .watermark(file: "/work/mark.png", sizeRatio: 0.1, horizontalMarginRatio: 0.05, verticalMarginRatio: 0.05),
                                   .intro(file: "/work/intro.mp4")]
        let graph = try StudioGraph.build(main: Self.main, separateAudio: nil, tasks: tasks, files: Self.files)
        #expect(graph.duration == 6 && graph.width == 640 && graph.height == 360 && graph.fps == 25 && graph.hasAudio)
        #expect(graph.description.contains("scale=w=-1:h=36"), "10 % of the height")
        #expect(graph.description.contains("overlay=x='main_w-overlay_w-(main_h*0.050000)':y='main_h*0.050000'"))
        #expect(graph.description.contains("anullsrc=r=48000:cl=stereo,atrim=duration=2"), "silence under the silent intro")
        #expect(graph.description.hasSuffix("[aout]"))
    }

    @Test func removedSegmentsKeepTheRestOfTheRoundedDuration() {
        #expect(StudioGraphBuilder.keptPieces(removing: [0...2, 6...7], total: 7) == [2...6])
        #expect(StudioGraphBuilder.keptPieces(removing: [1...2], total: 5) == [0...1, 2...5])
        #expect(StudioGraphBuilder.keptPieces(removing: [0...9], total: 5).isEmpty)
        #expect(throws: StudioProblem.self) {
            try StudioGraph.build(main: Self.main, separateAudio: nil, tasks: [.removeSegments([0...9])], files: [:])
        }
    }

    @Test func aVideoWithoutSoundStaysWithoutAndPathsAreEscaped() throws {
        var silent = Self.main
        silent.hasAudio = false
        silent.path = "/work/a:b's [video].mp4"
        let graph = try StudioGraph.build(main: silent, separateAudio: nil, tasks: [.outro(file: "/work/outro.mp4")], files: Self.files)
        #expect(!graph.hasAudio && !graph.description.contains("[aout]") && graph.duration == 10)
        #expect(graph.description.contains(#"movie=/work/a\\:b\\\'s \[video\].mp4:s=dv"#))
    }

    @Test func payloadsAsEachVersionSendsThem() {
        #expect(StudioTask(payload: ["name": "cut", "options": ["start": "1", "end": "3"]]) == .cut(start: 1, end: 3))
        #expect(StudioTask(payload: ["name": "cut", "options": ["end": 4]]) == .cut(start: nil, end: 4))
        #expect(StudioTask(payload: ["name": "cut", "options": ["start": 3, "end": 1]]) == nil, "start after end")
        #expect(StudioTask(payload: ["name": "add-watermark", "options": ["file": "u", "watermarkSizeRatio": 0.1,
                                                                           "horitonzalMarginRatio": 0.03, "verticalMarginRatio": 0.05]])
                == .watermark(file: "u", sizeRatio: 0.1, horizontalMarginRatio: 0.03, verticalMarginRatio: 0.05))
        #expect(StudioTask(payload: ["name": "remove-segments", "options": ["segments": [["start": "6", "end": "7"], ["start": 0, "end": 2]]]])
                == .removeSegments([0...2, 6...7]))
        #expect(StudioTask(payload: ["name": "add-subtitles", "options": [:]]) == nil)
    }
}
