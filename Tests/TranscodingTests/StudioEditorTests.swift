import Foundation
import Ladder
import LibAV
import Testing
import TestSupport
@testable import Transcoding

/// Studio edits made for real and read back: duration from the tasks, the main video's size and
/// frame rate, sound when the video had some, the watermark's pixels where PeerTube puts it.
@Suite struct StudioEditorTests {
    /// 640x360 at 25 fps with a tone, 5 s: PeerTube's own studio tests use a 5 s video.
    static func main() throws -> URL {
        try TestMedia.make("studio-main.mp4", TestMedia.testPattern(size: "640x360", seconds: 5))
    }

    /// A silent 320x240 intro at 30 fps, 2 s (another size and rate than the main video).
    static func silentIntro() throws -> URL {
        try TestMedia.make("studio-intro.mp4", TestMedia.testPattern(size: "320x240", rate: "30", seconds: 2, audio: false))
    }

    /// A 5 s outro with sound at 44.1 kHz.
    static func outro() throws -> URL {
        try TestMedia.make("studio-outro.mp4", ["-f", "lavfi", "-i", "testsrc=size=1280x720:rate=50", "-f", "lavfi", "-i",
                                                "sine=frequency=880:sample_rate=44100", "-t", "5", "-c:v", "libx264",
                                                "-preset", "ultrafast", "-c:a", "aac"])
    }

    /// A magenta 64x64 picture.
    static func watermark() throws -> URL {
        try TestMedia.make("studio-watermark.png", ["-f", "lavfi", "-i", "color=c=0xFF00FF:size=64x64", "-frames:v", "1"])
    }

    static func edit(_ tasks: [StudioTask], input: URL? = nil) throws -> (StudioEditResult, ProbeReport) {
        let output = try TestMedia.outputFolder().appendingPathComponent("edited.mp4")
        let options = StudioEditOptions(input: try input ?? main(), separateAudio: nil, tasks: tasks, output: output)
        let result = try StudioEditor.edit(options, cancellation: CancellationFlag()) { _ in }
        let report = try MediaProbe.probe(output).report
        return (result, report)
    }

    static func expectShape(_ report: ProbeReport, duration: Double, audio: Bool = true,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let video = report.videoStream
        #expect(video?.width == 640 && video?.height == 360, "the size stays the main video's", sourceLocation: sourceLocation)
        #expect(Int((video?.framesPerSecond ?? 0).rounded()) == 25, "the frame rate stays the main video's", sourceLocation: sourceLocation)
        #expect(video?.codec == "h264" && video?.pixelFormat == "yuv420p", sourceLocation: sourceLocation)
        #expect((report.audioStream != nil) == audio, sourceLocation: sourceLocation)
        if audio { #expect(report.audioStream?.codec == "aac", sourceLocation: sourceLocation) }
        #expect(abs((report.duration ?? 0) - duration) < 0.25, "lasts \(report.duration ?? 0) s, not \(duration) s",
                sourceLocation: sourceLocation)
    }

    @Test func aCutKeepsItsRange() throws {
        let (result, report) = try Self.edit([.cut(start: 1, end: 3)])
        Self.expectShape(report, duration: 2)
        #expect(result.expectedDuration == 2)
        // A name with every character the filter graph's two parsers treat specially.
        let odd = TestMedia.folder.appendingPathComponent("a:b's [x],y;z\\.mp4")
        if !FileManager.default.fileExists(atPath: odd.path) { try FileManager.default.copyItem(at: Self.main(), to: odd) }
        let (_, fromStart) = try Self.edit([.cut(start: nil, end: 4)], input: odd)
        Self.expectShape(fromStart, duration: 4)
    }

    @Test func aSilentIntroIsStretchedAndGetsSilence() throws {
        let intro = try Self.silentIntro()
        let (result, report) = try Self.edit([.intro(file: intro.path)])
        Self.expectShape(report, duration: 7)
        #expect(result.expectedDuration == 7)
        // The first second is the intro: testsrc2 at 320x240 stretched, not the main video's first picture.
        #expect(try Self.averageColor(report.file, at: 0.5, x: 0, y: 0, size: 320) != Self.averageColor(Self.main().path, at: 0.5, x: 0, y: 0, size: 320))
    }

    @Test func anOutroWithSoundAtAnotherRate() throws {
        let (_, report) = try Self.edit([.outro(file: Self.outro().path)])
        Self.expectShape(report, duration: 10)
        #expect(report.audioStream?.sampleRate == 48000)
    }

    @Test func aWatermarkSitsInThePeerTubeBox() throws {
        let (_, report) = try Self.edit([.watermark(file: Self.watermark().path, sizeRatio: 0.1, horizontalMarginRatio: 0.05,
                                                    verticalMarginRatio: 0.05)])
        Self.expectShape(report, duration: 5)
        // 36 px high (10 % of 360), 18 px from the top and from the right (5 % of the height).
        let inside = try Self.averageColor(report.file, at: 2, x: 640 - 18 - 30, y: 24, size: 24)
        #expect(inside.isMagenta, "magenta inside the box: \(inside)")
        let outside = try Self.averageColor(report.file, at: 2, x: 640 - 18 - 36 - 40, y: 24, size: 24)
        #expect(!outside.isMagenta, "the picture left of the box: \(outside)")
    }

    @Test func removeSegmentsKeepsTheRest() throws {
        let (result, report) = try Self.edit([.removeSegments([0...1, 3...4])])
        Self.expectShape(report, duration: 3)
        #expect(result.expectedDuration == 3)
    }

    /// PeerTube's `getComplexTask()` on a 5 s video: cut 1-3, outro (5 s), remove 0-2 and 6-7,
    /// watermark, intro (2 s) gives 6 s.
    @Test func everyTaskTogetherInOnePass() throws {
        let tasks: [StudioTask] = [
            .cut(start: 1, end: 3), .outro(file: try Self.outro().path), .removeSegments([0...2, 6...7]),
            .watermark(file: try Self.watermark().path, sizeRatio: 0.1, horizontalMarginRatio: 0.05, verticalMarginRatio: 0.05),
            .intro(file: try Self.silentIntro().path),
        ]
        let (result, report) = try Self.edit(tasks)
        #expect(result.expectedDuration == 6)
        Self.expectShape(report, duration: 6)
        let inside = try Self.averageColor(report.file, at: 4, x: 640 - 18 - 30, y: 24, size: 24)
        #expect(inside.isMagenta, "the watermark after the intro: \(inside)")
    }

    @Test func aVideoWithoutSoundStaysWithout() throws {
        let silent = try TestMedia.make("studio-silent.mp4", TestMedia.testPattern(size: "640x360", seconds: 3, audio: false))
        let (_, report) = try Self.edit([.outro(file: Self.outro().path)], input: silent)
        Self.expectShape(report, duration: 8, audio: false)
    }

    /// A video whose best file is a video-only HLS rung gets its sound from the job's separate
    /// audio file, which only the first task reads.
    @Test func theSeparateAudioFileGivesTheVideoItsSound() throws {
        let picture = try TestMedia.make("studio-video-only.mp4", TestMedia.testPattern(size: "640x360", seconds: 5, audio: false))
        let sound = try TestMedia.make("studio-audio-only.m4a", ["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100", "-t", "5",
                                                                 "-c:a", "aac"])
        let output = try TestMedia.outputFolder().appendingPathComponent("edited.mp4")
        let options = StudioEditOptions(input: picture, separateAudio: sound, tasks: [.cut(start: 1, end: 4)], output: output)
        _ = try StudioEditor.edit(options, cancellation: CancellationFlag()) { _ in }
        let report = try MediaProbe.probe(output).report
        Self.expectShape(report, duration: 3)
        #expect(report.audioStream?.sampleRate == 44100 && report.audioStream?.channels == 2)
    }

    @Test func impossibleTasksAreRefusedWithAReason() throws {
        let output = try TestMedia.outputFolder().appendingPathComponent("edited.mp4")
        let everything = StudioEditOptions(input: try Self.main(), separateAudio: nil, tasks: [.removeSegments([0...10])], output: output)
        let error = #expect(throws: TranscodeError.self) { try StudioEditor.edit(everything, cancellation: CancellationFlag()) { _ in } }
        #expect(error?.kind == .badInput && error?.reason.contains("whole video") == true)
        let notVideo = TestMedia.folder.appendingPathComponent("not-a-video.mp4")
        try Data(repeating: 7, count: 4096).write(to: notVideo)
        let badIntro = StudioEditOptions(input: try Self.main(), separateAudio: nil, tasks: [.intro(file: notVideo.path)], output: output)
        let introError = #expect(throws: TranscodeError.self) { try StudioEditor.edit(badIntro, cancellation: CancellationFlag()) { _ in } }
        #expect(introError?.kind == .badInput && introError?.reason.contains("add-intro file") == true)
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing is left at the output path")
    }

    static func averageColor(_ file: String, at seconds: Double, x: Int, y: Int, size: Int) throws -> PictureColor {
        try PictureColor.average(file, at: seconds, x: x, y: y, size: size, scratch: TestMedia.folder)
    }
}
