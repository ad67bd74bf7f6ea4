import Foundation
import Ladder
import LibAV
import Packaging

/// One resolution of a live: the decoded pictures scaled and set to its frame rate by a filter
/// chain of its own, encoded as PeerTube's live does (`-preset veryfast -bf 16 -b_strategy 1
/// -sc_threshold 0`, GOP 2 s, `-b:v`/`-maxrate` T, `-bufsize` 2T), and cut into chunks.
final class LiveVideoRung {
    let variant: LiveVariant
    private let encoder: Encoder
    private let chunker: LiveChunker
    private let filter: FilterGraph
    private let fps: Int

    /// `first` is the stream's first picture (sizes the filter), in `timeBase`.
    init(index: Int, request: RenditionRequest, first: borrowing Frame, timeBase: Rational, sourceBitrate: Int?,
         segmentDuration: Int, directory: String, clock: Date, variantCount: Int) throws(FFmpegError) {
        fps = max(request.fps, 1)
        let height = request.resolution
        let width = Self.evenWidth(height: height, sourceWidth: first.width, sourceHeight: first.height)
        let target = BitrateRule.targetBitrate(resolution: min(width, height), ratio: Double(width) / Double(height), fps: fps,
                                               sourceBitrate: sourceBitrate)
        encoder = try Encoder.video(VideoEncoderSettings(
            width: width, height: height, frameRate: fps, gopSize: 2 * fps, maxBFrames: 16, maxRate: target, bufferSize: 2 * target,
            options: ["preset": "veryfast", "b_strategy": "1", "sc_threshold": "0", "b": String(target)]))
        // Each rung's clock starts at the stream's first picture, so 2 s falls on a frame of every rate.
        filter = try FilterGraph(description: "setpts=PTS-STARTPTS,scale=\(width):\(height),setsar=1,fps=\(fps),format=yuv420p",
                                 like: first, timeBase: timeBase)
        variant = LiveVariant(index: index, resolution: height, width: width, height: height, fps: fps, bandwidth: target,
                              codecs: CodecString.avc1(extradata: encoder.extradata) ?? "avc1.640028")
        chunker = LiveChunker(variant: variant, format: try TrackFormat(encoder: encoder), segmentDuration: segmentDuration,
                              directory: directory, clock: clock, variantCount: variantCount)
    }

    /// `-2:h`: the width that keeps the picture's shape, even.
    static func evenWidth(height: Int, sourceWidth: Int, sourceHeight: Int) -> Int {
        guard sourceHeight > 0 else { return height * 16 / 9 / 2 * 2 }
        let exact = Double(height) * Double(sourceWidth) / Double(sourceHeight)
        return max(2, Int((exact / 2).rounded()) * 2)
    }

    /// Takes one decoded picture (its own reference).
    func push(_ frame: consuming Frame, emit: (LiveChunk) throws -> Void) throws {
        try filter.push(frame)
        try drainFilter(emit: emit)
    }

    /// Flushes the filter and the encoder and closes the last chunk.
    func finish(emit: (LiveChunk) throws -> Void) throws {
        try filter.pushEndOfStream()
        try drainFilter(emit: emit)
        try encoder.sendEndOfStream()
        try drainEncoder(emit: emit)
        try chunker.finish(emit: emit)
    }

    private func drainFilter(emit: (LiveChunk) throws -> Void) throws {
        while let picture = try filter.pull() {
            // A keyframe every 2 s exactly, whatever x264 would choose.
            picture.setForcedKeyframe((picture.pts ?? 0) % Int64(2 * fps) == 0)
            while try encoder.send(picture) == .mustReceiveFirst { try drainEncoder(emit: emit) }
            try drainEncoder(emit: emit)
        }
    }

    private func drainEncoder(emit: (LiveChunk) throws -> Void) throws {
        while let packet = try encoder.receive() {
            if packet.duration == 0 { packet.duration = 1 }
            let time = Double(packet.pts ?? 0) / Double(fps)
            try chunker.take(packet, time: time, end: time + 1 / Double(fps), canStart: packet.isKeyframe, emit: emit)
        }
    }
}
