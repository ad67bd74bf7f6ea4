import Foundation
import Ladder
import LibAV
import Packaging
import TestSupport
import Testing
@testable import Transcoding

@Suite(.serialized) struct TranscodeTests {
    func transcode(_ source: URL, tier: String, splitAudio: Bool = false,
                   adjust: (inout Pipeline) -> Void = { _ in }) throws -> (TranscodeResult, PackageInspector, URL) {
        let output = try TestMedia.outputFolder()
        var pipeline = try #require(PipelineCatalog.builtIn(tier))
        adjust(&pipeline)
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: pipeline, outputDirectory: output,
                                                                                     splitAudio: splitAudio))
        let inspector = try PackageInspector(result.directory)
        try inspector.checkBytesAndHashes()
        inspector.checkAlignment()
        // Only the published folder remains: no work folder, nothing partial.
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == [result.videoUUID])
        return (result, inspector, output)
    }

    @Test func aVideoBecomesAnAlignedLadderWithAudio() throws {
        let source = try TestMedia.make("basic.mp4", TestMedia.testPattern(size: "640x360", seconds: 9))
        let (result, package, _) = try transcode(source, tier: "mid")
        #expect(package.renditions.map(\.resolution).sorted() == [240, 360])
        #expect(package.master.contains(#"RESOLUTION=640x360,FRAME-RATE=25,CODECS="avc1.6400"#))
        #expect(package.master.contains(",mp4a.40.2\""))
        for rendition in package.renditions {
            #expect(rendition.segments.map(\.duration).prefix(2) == [4, 4])
            #expect(abs((rendition.duration ?? 0) - 9) < 0.3)
            let video = try #require(rendition.streams.first { $0.kind == .video })
            #expect(video.codec == "h264" && video.profile == "High" && video.pixelFormat == "yuv420p")
            #expect(video.averageFrameRate?.doubleValue == 25)
            let audio = try #require(rendition.streams.first { $0.kind == .audio })
            // The source's mono AAC is within PeerTube's copy rule: copied as it is.
            #expect(audio.codec == "aac" && audio.channels == 1 && audio.sampleRate == 48000)
        }
        let manifest = try PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: result.directory).appendingPathComponent("manifest.json")))
        #expect(manifest.videoUUID == result.videoUUID)
        #expect(manifest.renditions.map(\.resolution) == [360, 240])
        #expect(result.master.hasPrefix(result.directory))
    }

    @Test func rotationIsAppliedToThePixels() throws {
        // FFmpeg 5.1 writes a display matrix only when remuxing with a rotate tag.
        let upright = try TestMedia.make("upright.mp4", TestMedia.testPattern(size: "320x180", seconds: 3, audio: false))
        let source = try TestMedia.make("rotated.mp4", ["-i", upright.path, "-c", "copy", "-metadata:s:v:0", "rotate=90"])
        #expect(try MediaProbe.probe(source).report.videoStream?.rotation == 270)
        let (_, package, _) = try transcode(source, tier: "small")
        let video = try #require(package.renditions.first?.streams.first { $0.kind == .video })
        #expect(video.width == 180 && video.height == 320)
        #expect((video.rotation ?? 0) == 0)
    }

    @Test func highFrameRatesAreReducedOnLowerRungs() throws {
        let source = try TestMedia.make("fps60.mp4", TestMedia.testPattern(size: "480x270", rate: "60", seconds: 3))
        let (_, package, _) = try transcode(source, tier: "mid")
        let rates = Dictionary(uniqueKeysWithValues: package.renditions.map { rendition in
            (rendition.resolution, rendition.streams.first { $0.kind == .video }?.averageFrameRate?.doubleValue ?? 0)
        })
        #expect(rates == [270: 60, 240: 30])
    }

    @Test func videoWithoutAudioMakesAVideoOnlyPackage() throws {
        let source = try TestMedia.make("silent.mp4", TestMedia.testPattern(size: "320x240", seconds: 3, audio: false))
        let (_, package, _) = try transcode(source, tier: "small")
        #expect(package.master.contains(#"CODECS="avc1.6400"#) && !package.master.contains("mp4a"))
        #expect(package.renditions.allSatisfy { !$0.streams.contains { $0.kind == .audio } })
    }

    @Test func audioOnlyBecomesAStillImageVideo() throws {
        let source = try TestMedia.make("song.ogg", ["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-t", "6",
                                                     "-c:a", "libvorbis"])
        let (_, package, _) = try transcode(source, tier: "large")
        #expect(package.renditions.count == 1)
        let rendition = try #require(package.renditions.first)
        #expect(rendition.resolution == 480)
        #expect(rendition.streams.first { $0.kind == .audio }?.sampleRate == 44100)
        #expect(abs((rendition.duration ?? 0) - 6) < 0.3)
    }

    @Test func audioWithCoverArtShowsTheCover() throws {
        let cover = try TestMedia.make("cover.png", ["-f", "lavfi", "-i", "testsrc2=size=600x600", "-frames:v", "1"])
        let source = try TestMedia.make("album-track.m4a", ["-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-i", cover.path,
                                                            "-t", "4", "-map", "0", "-map", "1", "-c:a", "aac", "-c:v", "mjpeg",
                                                            "-disposition:v", "attached_pic"])
        let (result, package, _) = try transcode(source, tier: "small")
        let rendition = try #require(package.renditions.first { $0.resolution > 0 })
        let file = URL(fileURLWithPath: result.directory).appendingPathComponent(rendition.media)
        #expect(try FirstPicture.lumaSpread(file) > 10, "the cover's test pattern, not the plain background")
    }

    @Test func splitAudioAddsAnAudioOnlyRendition() throws {
        let source = try TestMedia.make("basic.mp4", TestMedia.testPattern(size: "640x360", seconds: 9))
        let (_, package, _) = try transcode(source, tier: "small", splitAudio: true)
        #expect(package.master.contains(#"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio""#))
        let audio = try #require(package.renditions.first { $0.resolution == 0 })
        #expect(audio.streams.map(\.kind) == [.audio])
        #expect(package.renditions.filter { $0.resolution > 0 }.allSatisfy { $0.streams.map(\.kind) == [.video] })
    }

    @Test(arguments: Pipeline.VideoSettings.Parallelism.allCases)
    func multiThreadedRenditionsMakeTheSameAlignedPackage(parallelism: Pipeline.VideoSettings.Parallelism) throws {
        let source = try TestMedia.make("basic.mp4", TestMedia.testPattern(size: "640x360", seconds: 9))
        let (_, package, _) = try transcode(source, tier: "mid") { pipeline in
            pipeline.video.parallelism = parallelism
            pipeline.video.threadsPerRendition = parallelism == .frames ? 2 : 0
        }
        #expect(package.renditions.map(\.resolution).sorted() == [240, 360])
        #expect(package.renditions.allSatisfy { abs(($0.duration ?? 0) - 9) < 0.3 })
    }

    @Test func everyRungIsScaledThroughTheCascadeTheSameWayEveryRun() throws {
        // Each rung's pictures come from the next larger rung's, made by whichever rendition thread
        // asks first: two runs must still write the same bytes, and the smallest rung must still
        // look like the source scaled directly. One x264 thread per rung: with frame threads, x264's
        // rate control under a VBV cap depends on thread timing (measured: 2 different 480p files in 6
        // runs before and after the cascade), so only single-threaded rungs repeat byte for byte.
        let source = try TestMedia.make("cascade.mp4", TestMedia.testPattern(size: "854x480", seconds: 4))
        let oneThread: (inout Pipeline) -> Void = { $0.video.threadsPerRendition = 1 }
        let (_, first, _) = try transcode(source, tier: "large", adjust: oneThread)
        let (_, second, _) = try transcode(source, tier: "large", adjust: oneThread)
        #expect(first.renditions.map(\.resolution).sorted() == [144, 240, 360, 480])
        // Paired by resolution: the files have fresh random names each run, so listing order differs.
        let byResolution = { (package: PackageInspector) in package.renditions.sorted { $0.resolution < $1.resolution } }
        for (one, other) in zip(byResolution(first), byResolution(second)) {
            #expect(one.resolution == other.resolution)
            #expect(try Data(contentsOf: first.directory.appendingPathComponent(one.media))
                == Data(contentsOf: second.directory.appendingPathComponent(other.media)), "the \(one.resolution)p rung differs between runs")
        }
        let smallest = try #require(first.renditions.min { $0.resolution < $1.resolution })
        let video = try #require(smallest.streams.first { $0.kind == .video })
        let statistics = try Tool.run("ffmpeg", [
            "-v", "error", "-nostdin", "-i", first.directory.appendingPathComponent(smallest.media).path, "-i", source.path,
            "-lavfi", "[1:v]scale=\(video.width ?? 0):\(video.height ?? 0):flags=bicubic[direct];[0:v][direct]ssim=stats_file=-",
            "-f", "null", "-"])
        let values = statistics.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("All:") }.flatMap { Double($0.dropFirst(4)) }
        }
        #expect(values.count >= 90)
        #expect(values.reduce(0, +) / Double(max(values.count, 1)) > 0.95)  // 0.99 measured; a mirrored picture gives 0.26
    }

    @Test(arguments: ["empty", "random", "text", "image", "truncated"])
    func brokenInputIsRefusedQuicklyAndLeavesNothing(kind: String) throws {
        let folder = try TestMedia.outputFolder()
        let file = folder.appendingPathComponent("\(kind).mp4")
        switch kind {
        case "empty": try Data().write(to: file)
        case "random": try Data((0..<100_000).map { _ in UInt8.random(in: 0...255) }).write(to: file)
        case "text": try Data("not a video at all\n".utf8).write(to: file)
        case "image": try Data(contentsOf: TestMedia.make("still.jpg", ["-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1"])).write(to: file)
        default:
            let whole = try Data(contentsOf: TestMedia.make("faststart.mp4", TestMedia.testPattern(size: "320x240", seconds: 8,
                                                                                                  extra: ["-movflags", "+faststart"])))
            try whole.prefix(whole.count / 3).write(to: file)
        }
        let before = try Data(contentsOf: file)
        let output = folder.appendingPathComponent("out")
        let started = Date()
        #expect {
            try Transcoder.transcode(file: file, options: TranscodeOptions(pipeline: PipelineCatalog.builtIn("small")!, outputDirectory: output))
        } throws: { error in
            guard let error = error as? TranscodeError else { return false }
            return error.kind == .badInput && error.description.hasPrefix(file.path) && !error.description.contains("\n")
        }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try Data(contentsOf: file) == before)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).isEmpty)
    }

    @Test func cancellationRemovesTheWorkFolder() throws {
        let source = try TestMedia.make("basic.mp4", TestMedia.testPattern(size: "640x360", seconds: 9))
        let output = try TestMedia.outputFolder()
        let cancellation = CancellationFlag()
        #expect {
            try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: PipelineCatalog.builtIn("mid")!, outputDirectory: output),
                                     cancellation: cancellation) { progress in
                if progress.stage == .encoding || progress.stage == .probing { cancellation.cancel() }
            }
        } throws: { ($0 as? TranscodeError)?.kind == .cancelled }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
    }

    /// A cancellation from outside in the middle of encoding (Ctrl-C, SIGTERM, a stall) must end
    /// the transcode even when the source thread is blocked waiting for room in a full rendition
    /// queue: it hung until the engine woke the queues on the flag. The transcode runs on a
    /// thread of its own so that a regression fails after a minute instead of hanging the run.
    @Test func cancellationMidEncodingEndsEvenWithFullQueues() throws {
        let source = try TestMedia.make("basic.mp4", TestMedia.testPattern(size: "640x360", seconds: 9))
        for _ in 0..<3 {
            let output = try TestMedia.outputFolder()
            let cancellation = CancellationFlag()
            let outcome = LockedValue<TranscodeError.Kind?>(nil)
            let ended = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                do {
                    _ = try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: PipelineCatalog.builtIn("large")!,
                                                                                         outputDirectory: output),
                                                 cancellation: cancellation) { progress in
                        if progress.stage == .encoding && progress.fraction > 0 { cancellation.cancel() }
                    }
                } catch let error as TranscodeError {
                    outcome.value = error.kind
                } catch {}
                ended.signal()
            }
            #expect(ended.wait(timeout: .now() + 60) == .success, "the cancelled transcode did not end")
            #expect(outcome.value == .cancelled)
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
        }
    }

    /// Non-square pixels: every rendition keeps the source's display shape exactly, as ffmpeg's
    /// scaler (PeerTube's chain) does, although even-rounded sizes change the pixel ratio.
    @Test func scaledRenditionsKeepTheDisplayShapeOfNonSquarePixels() throws {
        let source = try TestMedia.make("anamorphic.mp4", TestMedia.testPattern(size: "1280x720", seconds: 2,
                                                                                extra: ["-vf", "setsar=4/3"]))
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(
            pipeline: PipelineCatalog.builtIn("mid")!, outputDirectory: try TestMedia.outputFolder()))
        #expect(result.renditions.map(\.resolution) == [720, 480, 360, 240])
        for rendition in result.renditions {
            // As a player reads it (ffprobe: the container's pasp box; the SPS can only carry an
            // approximation with terms under 4096).
            let file = URL(fileURLWithPath: result.directory).appendingPathComponent(rendition.file)
            let fields = try Self.ffprobe(["-show_entries", "stream=width,height,sample_aspect_ratio", "-of", "csv=p=0", file.path])
                .split(whereSeparator: { $0 == "," || $0 == ":" }).compactMap { Int64($0) }
            try #require(fields.count == 4)
            let (width, height, sarNumerator, sarDenominator) = (fields[0], fields[1], fields[2], fields[3])
            // width x sar / height == 1280 x 4/3 / 720, exactly.
            #expect(width * sarNumerator * 720 * 3 == height * sarDenominator * 1280 * 4,
                    "\(rendition.resolution)p: \(width)x\(height) SAR \(sarNumerator):\(sarDenominator)")
        }
    }

    static func ffprobe(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffprobe", "-v", "error"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
