import Foundation
import Testing
@testable import Ladder

@Suite struct PipelineTests {
    @Test func parsesAFullPipeline() throws {
        let yaml = """
        name: tiny
        rungs: [360, 144]
        maxFps: 30
        splitAudio: true
        video:
          preset: faster
          bFrames: 3
          threadsPerRendition: 1
          parallelism: frames
        """
        let pipeline = try Pipeline(yaml: yaml, defaultName: "x", source: "test")
        #expect(pipeline.name == "tiny")
        #expect(pipeline.rungs == [360, 144])
        #expect(pipeline.maxFps == 30)
        #expect(pipeline.splitAudio)
        #expect(pipeline.video.preset == "faster")
        #expect(pipeline.video.bFrames == 3)
        #expect(pipeline.video.bStrategy == 1)
        #expect(pipeline.segmentSeconds == 4)
        #expect(pipeline.video.parallelism == .frames)
        #expect(Pipeline(name: "default", rungs: [720]).video.parallelism == .slices)
    }

    @Test(arguments: [
        ("rungs: [720, big]", "rungs[1]"),
        ("maxFps: 30", "rungs"),
        ("rungs: [720]\nmaxfps: 30", "maxfps"),
        ("rungs: [720]\nvideo:\n  bframes: 3", "video.bframes"),
        ("rungs: [720]\nvideo:\n  bFrames: 99", "video.bFrames"),
        ("rungs: [720]\nsegmentSeconds: 3", "segmentSeconds"),
        ("rungs: [720]\nsplitAudio: sometimes", "splitAudio"),
        ("rungs: [720, 720]", "rungs"),
        ("rungs: [720]\nvideo:\n  parallelism: threads", "video.parallelism"),
    ])
    func malformedFilesNameTheKey(yaml: String, key: String) {
        #expect {
            try Pipeline(yaml: yaml, defaultName: "x", source: "bad.yaml")
        } throws: { error in
            (error as? PipelineError)?.key == key && "\(error)".contains("'\(key)'") && "\(error)".contains("bad.yaml")
        }
    }

    @Test func notYAMLAtAllIsReported() {
        #expect(throws: PipelineError.self) { try Pipeline(yaml: "rungs: [720", defaultName: "x", source: "broken.yaml") }
        #expect(throws: PipelineError.self) { try Pipeline(yaml: "- just\n- a list", defaultName: "x", source: "list.yaml") }
    }

    @Test func theShippedPipelineFilesMatchTheBuiltInTiers() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("pipelines")
        for name in ["small", "mid", "large"] {
            var fromFile = try PipelineCatalog.load(file: folder.appendingPathComponent("\(name).yaml"))
            fromFile.description = PipelineCatalog.builtIn(name)?.description
            #expect(fromFile == PipelineCatalog.builtIn(name))
        }
    }

    @Test func aUserTierInTheFolderWinsOverTheBuiltIn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipelines-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "rungs: [1440, 1080]\nmaxFps: 60\n".write(to: folder.appendingPathComponent("huge.yaml"), atomically: true, encoding: .utf8)
        try "rungs: [360]\n".write(to: folder.appendingPathComponent("small.yaml"), atomically: true, encoding: .utf8)
        let catalog = PipelineCatalog(directories: [folder])
        #expect(try catalog.pipeline(named: "huge").rungs == [1440, 1080])
        #expect(try catalog.pipeline(named: "small").rungs == [360])
        #expect(try catalog.pipeline(named: "mid").rungs == [720, 480, 360, 240])
        #expect(throws: PipelineError.self) { try catalog.pipeline(named: "nope") }
        #expect(throws: PipelineError.self) { try catalog.pipeline(named: "../etc/passwd") }
    }
}
