import Foundation
import Ladder
import LibAV
import Packaging
import Synchronization
import Testing
import TestSupport
@testable import Transcoding

/// A live pulled from a real RTMP publisher on loopback and read back chunk by chunk: what
/// PeerTube's live watcher and players need of every chunk.
@Suite struct LiveTranscoderTests {
    static func run(_ source: RTMPSource, request: LiveRequest, readTimeout: Double = 10) throws -> (chunks: [LiveChunk], folder: URL) {
        let folder = try TestMedia.outputFolder()
        let chunks = Mutex<[LiveChunk]>([])
        let options = LiveOptions(url: source.url, request: request, outputDirectory: folder.path, readTimeout: readTimeout)
        try LiveTranscoder.run(options, cancellation: CancellationFlag()) { progress in
            if let chunk = progress.chunk { chunks.withLock { $0.append(chunk) } }
        }
        return (chunks.withLock { $0 }, folder)
    }

    @Test func everyResolutionIsChunkedOnOneGridFromOneDecode() throws {
        let source = try RTMPSource(seconds: 7)
        let request = LiveRequest(renditions: [RenditionRequest(resolution: 240, fps: 25), RenditionRequest(resolution: 360, fps: 25),
                                               RenditionRequest(resolution: 0, fps: 0)], segmentDuration: 2, segmentListSize: 15)
        let (chunks, folder) = try Self.run(source, request: request)
        let variants = Dictionary(grouping: chunks, by: \.variant.index)
        #expect(variants.keys.sorted() == [0, 1, 2])
        #expect(variants[0]?.first?.variant.isAudio == true)
        #expect(variants[1]?.first?.variant.height == 240 && variants[1]?.first?.variant.width == 426)
        #expect(variants[2]?.first?.variant.height == 360 && variants[2]?.first?.variant.codecs.hasPrefix("avc1.64") == true)
        for (index, list) in variants {
            #expect(list.map(\.sequence) == Array(0..<list.count), "variant \(index) numbered from 0 without gaps")
            #expect(list.filter(\.isLast).count == 1 && list.last?.isLast == true)
            let total = list.reduce(0) { $0 + $1.duration }
            #expect(abs(total - 7) < 0.6, "variant \(index) lasts \(total) s")
            for chunk in list.dropLast() { #expect(abs(chunk.duration - 2) < 0.05, "\(chunk.name) lasts \(chunk.duration) s") }
            for chunk in list { try Self.check(folder.appendingPathComponent(chunk.name), variant: chunk.variant) }
        }
        // Aligned: chunk n of every video resolution covers the same seconds.
        #expect(variants[1]?.map(\.duration) == variants[2]?.map(\.duration))
    }

    /// PeerTube asks for the audio rendition only when the stream has sound; a stream without
    /// sound gets video variants numbered from 0, one with sound only gets the audio variant.
    @Test(arguments: [(false, [240]), (true, [0])])
    func aStreamWithoutSoundOrPictureGetsWhatItHas(audioOnly: Bool, variants: [Int]) throws {
        let source = try RTMPSource(seconds: 4, video: !audioOnly, audio: audioOnly)
        let request = LiveRequest(renditions: [RenditionRequest(resolution: 240, fps: 25), RenditionRequest(resolution: 0, fps: 0)],
                                  segmentDuration: 2, segmentListSize: 15)
        let (chunks, folder) = try Self.run(source, request: request)
        #expect(Set(chunks.map(\.variant.index)) == [0])
        #expect(Set(chunks.map(\.variant.resolution)) == Set(variants))
        #expect(chunks.allSatisfy { $0.variantCount == 1 })
        for chunk in chunks { try Self.check(folder.appendingPathComponent(chunk.name), variant: chunk.variant) }
        #expect(abs(chunks.reduce(0) { $0 + $1.duration } - 4) < 0.6)
    }

    /// A publisher that freezes without closing fails the live after the read timeout, with a reason.
    @Test func aFrozenPublisherEndsTheLiveWithAReason() throws {
        let source = try RTMPSource(seconds: 30)
        let folder = try TestMedia.outputFolder()
        let request = LiveRequest(renditions: [RenditionRequest(resolution: 240, fps: 25)], segmentDuration: 2, segmentListSize: 15)
        let options = LiveOptions(url: source.url, request: request, outputDirectory: folder.path, readTimeout: 2)
        let first = Mutex(false)
        let error = #expect(throws: TranscodeError.self) {
            try LiveTranscoder.run(options, cancellation: CancellationFlag()) { progress in
                if progress.chunk != nil, !first.withLock({ $0 }) {
                    first.withLock { $0 = true }
                    source.freeze()
                }
            }
        }
        #expect(error?.kind == .stalled && error?.reason == "the live stream sent nothing for 2 s", "\(String(describing: error))")
        #expect(error?.description.contains("stream-key") == false, "the stream key is never in an error")
        source.stop()
    }

    @Test func nothingToPullIsAClearError() throws {
        let request = LiveRequest(renditions: [RenditionRequest(resolution: 240, fps: 25)], segmentDuration: 2, segmentListSize: 15)
        let options = LiveOptions(url: "rtmp://127.0.0.1:9/live/secret-key", request: request,
                                  outputDirectory: try TestMedia.outputFolder().path, readTimeout: 2)
        let error = #expect(throws: TranscodeError.self) { try LiveTranscoder.run(options, cancellation: CancellationFlag()) { _ in } }
        #expect(error?.reason.hasPrefix("cannot pull the live stream") == true)
        #expect(error?.description.contains("secret-key") == false)
    }

    /// A chunk as PeerTube's watcher, replay and players read it: MPEG-TS, one stream, the video
    /// starting on a keyframe at the asked height, the audio AAC.
    static func check(_ file: URL, variant: LiveVariant, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let demuxer = try Demuxer(path: file.path)
        #expect(demuxer.formatName == "mpegts", sourceLocation: sourceLocation)
        #expect(demuxer.streams.count == 1, "\(file.lastPathComponent): one stream", sourceLocation: sourceLocation)
        let stream = try #require(demuxer.streams.first)
        if variant.isAudio {
            #expect(stream.kind == .audio && stream.codec == "aac", sourceLocation: sourceLocation)
            return
        }
        #expect(stream.kind == .video && stream.codec == "h264" && stream.height == variant.height, sourceLocation: sourceLocation)
        guard let first = try demuxer.readPacket() else {
            Issue.record("\(file.lastPathComponent) has no packet", sourceLocation: sourceLocation)
            return
        }
        let startsOnKeyframe = first.isKeyframe
        #expect(startsOnKeyframe, "\(file.lastPathComponent) starts with a keyframe", sourceLocation: sourceLocation)
    }
}
