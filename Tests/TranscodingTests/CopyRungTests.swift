import Foundation
import Ladder
import Packaging
import LibAV
import Testing
@testable import Transcoding

/// The top rung copied from a compliant source inside the one decode pass, every rung aligned to it.
@Suite(.serialized) struct CopyRungTests {
    /// A web-ready 360p25 upload: H.264 at 600 kb/s, a keyframe every 66 frames (2.64 s), AAC-LC stereo.
    static func webReady(_ name: String = "web-ready.mp4", container: [String] = [], audio: [String] = ["-c:a", "aac", "-b:a", "96k"],
                         keyframeFrames: Int = 66, seconds: Double = 12) throws -> URL {
        try TestMedia.make(name, ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
                                  "-i", "sine=frequency=440:sample_rate=48000", "-t", String(seconds), "-c:v", "libx264",
                                  "-preset", "veryfast", "-b:v", "600k", "-g", String(keyframeFrames), "-keyint_min", String(keyframeFrames),
                                  "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-ac", "2"] + audio + container)
    }

    func transcode(_ source: URL, adjust: (inout Pipeline) -> Void = { _ in }) throws -> (LadderPlan, PackageInspector) {
        var pipeline = try #require(PipelineCatalog.builtIn("mid"))
        adjust(&pipeline)
        let (report, demuxer) = try MediaProbe.probe(source)
        let plan = MediaProbe.plan(report, demuxer: demuxer, pipeline: pipeline)
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: pipeline, outputDirectory: try TestMedia.outputFolder()))
        let inspector = try PackageInspector(result.directory)
        try inspector.checkBytesAndHashes()
        inspector.checkAlignment()
        return (plan, inspector)
    }

    /// The MD5 of a stream's packets as the ffmpeg CLI reads them (`-c copy -f streamhash`).
    func packetHash(_ path: String, stream: String) throws -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-map", "0:\(stream)", "-c", "copy",
                             "-f", "streamhash", "-hash", "md5", "-"]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aWebReadySourceKeepsItsOwnVideoAndAudioInTheTopRung() throws {
        let source = try Self.webReady()
        let (plan, package) = try transcode(source)
        #expect(plan.copiesTopRung && plan.audio?.copy == true)
        let top = try #require(package.renditions.first { $0.resolution == 360 })
        #expect(top.copied)
        let media = package.directory.appendingPathComponent(top.media).path
        #expect(try packetHash(media, stream: "v") == (try packetHash(source.path, stream: "v")))
        for rendition in package.renditions {
            let path = package.directory.appendingPathComponent(rendition.media).path
            #expect(try packetHash(path, stream: "a") == (try packetHash(source.path, stream: "a")), "\(rendition.resolution)p audio is the source's")
        }
        #expect(package.master.contains(#"RESOLUTION=640x360,FRAME-RATE=25,CODECS="avc1.6400"#))
    }

    @Test func everyRungCutsOnTheSourceKeyframeAfterEachFourSecondMark() throws {
        let (_, package) = try transcode(try Self.webReady())
        #expect(package.renditions.count == 2)
        for rendition in package.renditions {
            let durations = rendition.segments.map { ($0.duration * 100).rounded() / 100 }
            #expect(durations == [5.28, 5.28, 1.44], "\(rendition.resolution)p segments")
            // Encoded renditions have a keyframe on every source keyframe, and never more than 2 s apart.
            for time in [0, 2.64, 5.28, 7.92, 10.56] {
                #expect(rendition.keyframes.contains { abs($0 - time) < 0.002 }, "\(rendition.resolution)p keyframe at \(time)")
            }
        }
        let encoded = try #require(package.renditions.first { !$0.copied })
        let video = try #require(encoded.streams.first { $0.kind == .video })
        #expect(video.profile == "High")
    }

    @Test func sparseKeyframesAreEncodedOnTheUsualGrid() throws {
        let source = try Self.webReady("sparse-keyframes.mp4", keyframeFrames: 300, seconds: 14)
        let (plan, package) = try transcode(source)
        #expect(plan.copyRefusal == "keyframes up to 12.0 s apart (limit 10 s)")
        #expect(package.renditions.allSatisfy { !$0.copied })
        for rendition in package.renditions {
            #expect(rendition.segments.map(\.duration).prefix(3) == [4, 4, 4])
        }
    }

    @Test func matroskaWithOpusIsCopiedFromItsScannedKeyframesAndItsAudioEncoded() throws {
        // Matroska's cues do not list every packet: the keyframes are found by reading the stream.
        let source = try Self.webReady("web-ready.mkv", audio: ["-c:a", "libopus", "-b:a", "96k"])
        let (plan, package) = try transcode(source)
        #expect(plan.copiesTopRung)
        #expect(plan.audio?.copy == false && plan.audio?.copyRefusal == "codec opus, not AAC")
        for rendition in package.renditions {
            let audio = try #require(rendition.streams.first { $0.kind == .audio })
            #expect(audio.codec == "aac" && audio.channels == 2)
        }
    }

    @Test func mpegTSStreamsAreEncodedBecauseMP4CannotCarryThemAsTheyAre() throws {
        // Annex B video and ADTS audio: copying them into fragmented MP4 would need rewriting every packet.
        let source = try TestMedia.make("web-ready.ts", ["-i", try Self.webReady().path, "-c", "copy"])
        let (plan, package) = try transcode(source)
        #expect(plan.copyRefusal?.contains("Annex B") == true)
        #expect(plan.audio?.copyRefusal?.contains("ADTS") == true)
        #expect(package.renditions.allSatisfy { !$0.copied })
    }

    @Test func copyTopRungNeverEncodesEveryRung() throws {
        let (plan, package) = try transcode(try Self.webReady()) { $0.video.copyTopRung = .never }
        #expect(!plan.copiesTopRung && plan.audio?.copy == false)
        #expect(package.renditions.allSatisfy { !$0.copied })
        for rendition in package.renditions {
            #expect(rendition.segments.map(\.duration).prefix(2) == [4, 4])
            #expect(rendition.streams.first { $0.kind == .video }?.profile == "High")
        }
    }

    @Test func requestedRenditionsAreMadeExactlyWithAnAudioOnlyOneBeside() throws {
        // What a PeerTube runner asks for: these resolutions and frame rates, and the podcast audio file.
        let source = try Self.webReady()
        let pipeline = try #require(PipelineCatalog.builtIn("large"))
        let requested = [RenditionRequest(resolution: 360, fps: 25), RenditionRequest(resolution: 144, fps: 15),
                         RenditionRequest(resolution: 0, fps: 0)]
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(
            pipeline: pipeline, outputDirectory: try TestMedia.outputFolder(), renditions: requested))
        #expect(result.renditions.map(\.resolution).sorted() == [0, 144, 360])
        let folder = URL(fileURLWithPath: result.directory)
        for rendition in result.renditions {
            let streams = try Demuxer(path: folder.appendingPathComponent(rendition.file).path).streams
            #expect(streams.contains { $0.kind == .audio }, "\(rendition.resolution)p has the audio")
            #expect(streams.contains { $0.kind == .video } == (rendition.resolution > 0))
            if rendition.resolution == 144 { #expect(rendition.fps == 15) }
        }
        #expect(result.renditions.first { $0.resolution == 360 }?.copied == true)
    }

    @Test func splitAudioWithACopiedTopRungKeepsTheVideoRungsAligned() throws {
        let source = try Self.webReady()
        let output = try TestMedia.outputFolder()
        let pipeline = try #require(PipelineCatalog.builtIn("mid"))
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: pipeline, outputDirectory: output,
                                                                                     splitAudio: true))
        let package = try PackageInspector(result.directory)
        try package.checkBytesAndHashes()
        package.checkAlignment()
        #expect(package.renditions.map(\.resolution).sorted() == [0, 240, 360])
        #expect(package.renditions.first { $0.resolution == 360 }?.copied == true)
    }

    /// A runner's publishing pass: only the copied top rung, no images. Nothing is decoded, so
    /// it takes the time of a remux, and the rung is still the source's own packets, cut on its
    /// keyframes, as long as the source.
    @Test func theCopiedRungAloneWithoutImagesIsARemuxOfTheSource() throws {
        let source = try Self.webReady()
        var options = TranscodeOptions(pipeline: try #require(PipelineCatalog.builtIn("mid")), outputDirectory: try TestMedia.outputFolder(),
                                       renditions: [RenditionRequest(resolution: 360, fps: 25)])
        options.images = false
        let result = try Transcoder.transcode(file: source, options: options)
        #expect(result.renditions.map(\.resolution) == [360])
        let manifest = try PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: result.directory).appendingPathComponent("manifest.json")))
        #expect(manifest.images == nil && manifest.storyboard == nil)
        #expect(abs(manifest.duration - 12) < 0.1)
        let inspector = try PackageInspector(result.directory)
        try inspector.checkBytesAndHashes()
        let rung = try #require(inspector.renditions.first)
        #expect(rung.copied)
        let media = inspector.directory.appendingPathComponent(rung.media).path
        #expect(try packetHash(media, stream: "v") == (try packetHash(source.path, stream: "v")))
        #expect(rung.segments.map(\.duration).prefix(2) == [5.28, 5.28])
    }
}
