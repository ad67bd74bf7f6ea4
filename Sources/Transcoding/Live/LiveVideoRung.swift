import Foundation
import Ladder
import LibAV
import Packaging

/// One resolution of a live: pictures scaled to its size, set to its frame rate, encoded as PeerTube's live does (`-preset veryfast -bf 16 -b_strategy 1
/// -sc_threshold 0`, GOP 2 s, `-b:v`/`-maxrate` T, `-bufsize` 2T), and cut into chunks.
final class LiveVideoRung {
    let variant: LiveVariant
    let width: Int
    let height: Int
    /// Rungs scaled from this one's pictures rather than from the source's (see ``LiveSession``).
    var smaller: [LiveVideoRung] = []
    private let encoder: Encoder
    private let chunker: LiveChunker
    private let timeBase: Rational
    /// Scales the pictures it is given (the source's, or a larger rung's) at their own rate.
    private var scaler: FilterGraph?
    /// Sets the scaled pictures to the rung's frame rate.
    private var rate: FilterGraph?
    private let fps: Int

    /// A rung `width` x `height` at `request.fps`; its filters are made at its first picture.
    init(index: Int, request: RenditionRequest, width: Int, height: Int, timeBase: Rational, sourceBitrate: Int?,
         segmentDuration: Int, directory: String, clock: Date, variantCount: Int) throws(FFmpegError) {
        fps = max(request.fps, 1)
        self.width = width
        self.height = height
        self.timeBase = timeBase
        let target = BitrateRule.targetBitrate(resolution: min(width, height), ratio: Double(width) / Double(height), fps: fps,
                                               sourceBitrate: sourceBitrate)
        // Two threads per encoder, as the official runner's `-threads 2`: several encoders share the cores.
        encoder = try Encoder.video(VideoEncoderSettings(
            width: width, height: height, frameRate: fps, gopSize: 2 * fps, maxBFrames: 16, maxRate: target, bufferSize: 2 * target,
            threads: 2, options: ["preset": "veryfast", "b_strategy": "1", "sc_threshold": "0", "b": String(target)]))
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

    /// Takes one picture (its own reference) of the source's or of a larger rung, timestamped
    /// from the stream's first picture; passes its scaled picture on to the smaller rungs.
    func push(_ frame: consuming Frame, emit: (LiveChunk) throws -> Void) throws {
        if scaler == nil {
            scaler = try FilterGraph(description: "scale=\(width):\(height),setsar=1", like: frame, timeBase: timeBase, threads: 1)
        }
        try scaler?.push(frame)
        while let scaled = try scaler?.pull() {
            for rung in smaller { try rung.push(try scaled.ref(), emit: emit) }
            if rate == nil { rate = try FilterGraph(description: "fps=\(fps),format=yuv420p", like: scaled, timeBase: timeBase, threads: 1) }
            try rate?.push(scaled)
            try drainFilter(emit: emit)
        }
    }

    /// Flushes the filters and the encoder, closes the last chunk, then does the same for the smaller rungs.
    func finish(emit: (LiveChunk) throws -> Void) throws {
        if let rate {
            try rate.pushEndOfStream()
            try drainFilter(emit: emit)
        }
        try encoder.sendEndOfStream()
        try drainEncoder(emit: emit)
        try chunker.finish(emit: emit)
        for rung in smaller { try rung.finish(emit: emit) }
    }

    private func drainFilter(emit: (LiveChunk) throws -> Void) throws {
        while let picture = try rate?.pull() {
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
