import Foundation
import Ladder
import LibAV
import Packaging

/// The audio variant of a live (`0.m3u8`): the stream's AAC copied when PeerTube's live would
/// copy it (AAC with a known bitrate up to 384 kb/s, mono or stereo), else one AAC stereo
/// encode; cut on the same grid as the pictures.
final class LiveAudioRung {
    let variant: LiveVariant
    private let chunker: LiveChunker
    private let chain: AudioChain?
    private let streamTimeBase: Rational
    /// Seconds of the stream's clock at which the live's time is 0.
    private let origin: Double
    private let sampleRate: Int

    init(stream: StreamInfo, demuxer: Demuxer, origin: Double, segmentDuration: Int, directory: String, clock: Date,
         variantCount: Int) throws(FFmpegError) {
        self.origin = origin
        streamTimeBase = stream.timeBase
        let bitRate = stream.bitRate.map(Int.init)
        let copies = stream.codec == "aac" && (bitRate ?? 0) > 0 && (bitRate ?? 0) <= 384_000 && (1...2).contains(stream.channels ?? 0)
        let format: TrackFormat
        if copies {
            chain = nil
            sampleRate = stream.sampleRate ?? 48000
            format = try demuxer.trackFormat(stream: stream.index)
        } else {
            sampleRate = AudioRule.sampleRate(source: stream.sampleRate ?? 48000)
            let encoder = try Encoder.audio(AudioEncoderSettings(sampleRate: sampleRate,
                                                                 bitRate: AudioRule.bitRate(codec: stream.codec, sourceBitRate: bitRate)))
            chain = try AudioChain(decoder: demuxer.makeDecoder(stream: stream.index, threads: 1), encoder: encoder,
                                   sampleRate: sampleRate, origin: origin)
            format = try TrackFormat(encoder: encoder)
        }
        variant = LiveVariant(index: 0, resolution: 0, bandwidth: bitRate ?? 128_000, codecs: CodecString.aacLC)
        chunker = LiveChunker(variant: variant, format: format, segmentDuration: segmentDuration, directory: directory, clock: clock,
                              variantCount: variantCount)
    }

    /// Takes one audio packet of the stream.
    func take(_ packet: consuming Packet, emit: (LiveChunk) throws -> Void) throws {
        guard chain != nil else { return try copy(packet, emit: emit) }
        var failure: Error?
        try chain?.decode(packet) { encoded throws(FFmpegError) in
            do { try self.write(encoded, emit: emit) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Flushes the encoder (when encoding) and closes the last chunk.
    func finish(emit: (LiveChunk) throws -> Void) throws {
        var failure: Error?
        try chain?.finish { encoded throws(FFmpegError) in
            do { try self.write(encoded, emit: emit) } catch { failure = error }
        }
        if let failure { throw failure }
        try chunker.finish(emit: emit)
    }

    /// An encoded packet, its timestamps in samples from the origin.
    private func write(_ packet: consuming Packet, emit: (LiveChunk) throws -> Void) throws {
        let time = Double(packet.pts ?? 0) / Double(sampleRate)
        let end = time + Double(max(packet.duration, 1024)) / Double(sampleRate)
        try chunker.take(packet, time: time, end: end, canStart: true, emit: emit)
    }

    /// A copied packet, moved to the live's clock; sound from before the first picture is dropped.
    private func copy(_ packet: consuming Packet, emit: (LiveChunk) throws -> Void) throws {
        guard let pts = packet.pts, let base = streamTimeBase.doubleValue else { return }
        let shift = Int64((origin / base).rounded())
        guard pts - shift >= 0 else { return }
        packet.shiftTimestamps(by: -shift)
        let time = Double(pts - shift) * base
        try chunker.take(packet, time: time, end: time + Double(packet.duration) * base, canStart: true, emit: emit)
    }
}
