import Foundation
import Ladder
import LibAV
import TestSupport
import Testing
@testable import Transcoding

/// A package is never published from a source that changed while it was made, and what FFmpeg
/// says about a failure is kept readable.
@Suite(.serialized) struct SourceAndLogTests {
    @Test func aSourceThatChangedWhileTranscodedIsNotPublished() throws {
        let source = try TestMedia.make("changing.mp4", TestMedia.testPattern(size: "320x240", seconds: 2))
        let output = try TestMedia.outputFolder()
        var options = TranscodeOptions(pipeline: PipelineCatalog.builtIn("small")!, outputDirectory: output)
        var taken = try #require(SourceIdentity.of(source.path))
        taken.size -= 1  // what the job took was one byte shorter: the writer went on since
        options.expectedSource = taken
        let error = #expect(throws: TranscodeError.self) { try Transcoder.transcode(file: source, options: options) }
        #expect(error?.kind == .sourceChanged)
        #expect(error?.reason.hasPrefix("the source changed while it was transcoded") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty, "nothing published, no work folder left")
        options.expectedSource = SourceIdentity.of(source.path)
        let result = try Transcoder.transcode(file: source, options: options)
        #expect(FileManager.default.fileExists(atPath: result.master))
    }

    @Test func aFullRangeSourceIsConvertedWithoutSwscalesDeprecatedFormatWarning() throws {
        let source = try TestMedia.make("full-range.mp4", TestMedia.testPattern(size: "640x360", seconds: 2,
                                                                               extra: ["-pix_fmt", "yuvj420p"]))
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: PipelineCatalog.builtIn("small")!,
                                                                                      outputDirectory: try TestMedia.outputFolder()))
        #expect(result.renditions.count == 2)
        let warnings = FFmpegLog.unfilteredLines().filter { $0.contains("deprecated pixel format") }
        #expect(warnings.isEmpty, "\(warnings.count) warnings")
        // The full range is converted to the limited range the renditions carry: the luma's spread
        // shrinks by 219/255 (it would stay the same if the range were taken as it is).
        let rendition = URL(fileURLWithPath: result.directory)
            .appendingPathComponent(try #require(result.renditions.first { $0.resolution == 360 }?.file))
        let ratio = try FirstPicture.lumaSpread(rendition) / FirstPicture.lumaSpread(source)
        #expect(abs(ratio - 219.0 / 255.0) < 0.03, "spread ratio \(ratio)")
    }

    @Test func readableLogDropsNoiseAndFoldsRepeats() {
        let lines = (0..<17).map { "[swscaler @ 0x55d1\($0)a0] deprecated pixel format used, make sure you did set range correctly" }
            + ["[h264 @ 0x5501] error while decoding MB 3 4", "[h264 @ 0x5502] error while decoding MB 3 4",
               "[matroska,webm @ 0x77] File ended prematurely"]
        #expect(ReadableLog.lines(lines) == ["[h264 @ 0x5501] error while decoding MB 3 4 (2 times)",
                                             "[matroska,webm @ 0x77] File ended prematurely"])
        #expect(ReadableLog.lines((0..<30).map { "line \($0)" }, limit: 3) == ["line 27", "line 28", "line 29"])
    }
}
