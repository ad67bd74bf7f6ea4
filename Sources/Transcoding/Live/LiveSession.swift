import Foundation
import Ladder
import LibAV
import Packaging

/// The live transcoder's state while the stream runs: the decoder, the rungs (made at the first
/// picture, when the stream's size and clock are known) and the audio variant.
final class LiveSession {
    private let demuxer: Demuxer
    private let options: LiveOptions
    private let emit: (LiveChunk) -> Void
    private let video: StreamInfo?
    private let audio: StreamInfo?
    private var decoder: Decoder?
    /// The largest rung: it scales the source's pictures, each smaller one those of the rung above it.
    private var largest: LiveVideoRung?
    /// Timestamp of the first picture: the live's clock starts there.
    private var firstPTS: Int64 = 0
    private var audioRung: LiveAudioRung?
    /// Audio read before the first picture set the clock.
    private var earlyAudio: [PacketBox] = []
    private var started = false

    init(demuxer: Demuxer, options: LiveOptions, emit: @escaping (LiveChunk) -> Void) {
        self.demuxer = demuxer
        self.options = options
        self.emit = emit
        video = demuxer.streams.first { $0.kind == .video && !$0.isAttachedPicture }
        audio = options.request.wantsAudio || options.request.videoRenditions.isEmpty ? demuxer.streams.first { $0.kind == .audio } : nil
    }

    /// The video renditions made: at most 10 variants in all, as PeerTube reads one digit.
    private var videoRequests: [RenditionRequest] {
        video == nil ? [] : Array(options.request.videoRenditions.prefix(audio != nil ? 9 : 10))
    }

    /// The audio variant (0) when there is sound, then each video one.
    private var variantCount: Int { videoRequests.count + (audio != nil ? 1 : 0) }

    func run(cancellation: CancellationFlag) throws {
        guard video != nil || audio != nil else {
            throw TranscodeError(.badInput, file: LiveTranscoder.sourceName, reason: "the live stream has neither picture nor sound")
        }
        // One decoding thread: frame threads cost more CPU in all (measured 4.2 s against 3.9 s for
        // 30 s of 1080p30), and a single thread decodes a live far faster than real time.
        if let video { decoder = try demuxer.makeDecoder(stream: video.index, threads: 1) }
        while let packet = try nextPacket() {
            if cancellation.isCancelled { throw TranscodeError(.cancelled, file: LiveTranscoder.sourceName, reason: "cancelled") }
            if packet.streamIndex == video?.index {
                try decode(packet)
            } else if packet.streamIndex == audio?.index {
                try takeAudio(packet)
            }
        }
        try finish()
    }

    /// The stream's next packet, nil at its end. RTMP reports a publisher that leaves as an I/O
    /// error right after its last packet (EOF only through a server's UnpublishNotify), and a
    /// source gone silent as the same error once the read timeout passed: the silence before the
    /// error tells them apart. Like ffmpeg, a connection that ends once the live has started ends it.
    private func nextPacket() throws -> Packet? {
        let asked = Date()
        do {
            return try demuxer.readPacket()
        } catch {
            if Date().timeIntervalSince(asked) >= options.readTimeout * 0.9 {
                throw TranscodeError(.stalled, file: LiveTranscoder.sourceName,
                                     reason: "the live stream sent nothing for \(Int(options.readTimeout)) s")
            }
            if started { return nil }
            throw error
        }
    }

    private func decode(_ packet: borrowing Packet) throws {
        guard let decoder else { return }
        do {
            while try decoder.send(packet) == .mustReceiveFirst { try receivePictures() }
        } catch let error as FFmpegError where error.isInvalidData {
            return  // a damaged packet of a live is skipped, as ffmpeg does
        }
        try receivePictures()
    }

    private func receivePictures() throws {
        guard let decoder else { return }
        while let frame = try decoder.receive() {
            if !started { try start(first: frame, timeBase: decoder.timeBase) }
            frame.pts = (frame.bestEffortTimestamp ?? firstPTS) - firstPTS
            try largest?.push(frame, emit: emit)
        }
    }

    /// The first picture sets the live's clock and sizes the rungs; audio waiting for it goes out.
    private func start(first: borrowing Frame, timeBase: Rational) throws {
        started = true
        firstPTS = first.bestEffortTimestamp ?? 0
        let origin = Double(firstPTS) * (timeBase.doubleValue ?? 0)
        let clock = Date()
        var rungs: [LiveVideoRung] = []
        for (offset, request) in videoRequests.enumerated() {
            let width = LiveVideoRung.evenWidth(height: request.resolution, sourceWidth: first.width, sourceHeight: first.height)
            rungs.append(try LiveVideoRung(index: offset + (audio != nil ? 1 : 0), request: request, width: width, height: request.resolution,
                                           timeBase: timeBase, sourceBitrate: video?.bitRate.map(Int.init),
                                           segmentDuration: options.request.segmentDuration, directory: options.outputDirectory,
                                           clock: clock, variantCount: variantCount))
        }
        largest = Self.cascade(rungs)
        try startAudio(origin: origin, clock: clock)
    }

    /// Orders the rungs largest first, each scaled from the one above it: a 240p picture made
    /// from the 360p one costs a fraction of one made from the 1080p source (measured: the four
    /// scales of a 1080p30 live to 720/480/360/240 take 2.6 s of CPU per 30 s this way, 6.3 s each
    /// from the source), and each bicubic step is a small downscale, which keeps the picture sharp.
    static func cascade(_ rungs: [LiveVideoRung]) -> LiveVideoRung? {
        let ordered = rungs.sorted { $0.height > $1.height }
        for (larger, smaller) in zip(ordered, ordered.dropFirst()) { larger.smaller = [smaller] }
        return ordered.first
    }

    private func startAudio(origin: Double, clock: Date) throws {
        guard let audio else { return }
        audioRung = try LiveAudioRung(stream: audio, demuxer: demuxer, origin: origin, segmentDuration: options.request.segmentDuration,
                                      directory: options.outputDirectory, clock: clock, variantCount: variantCount)
        let waiting = earlyAudio
        earlyAudio = []
        for box in waiting { if let packet = box.take() { try audioRung?.take(packet, emit: emit) } }
    }

    private func takeAudio(_ packet: consuming Packet) throws {
        if audioRung == nil && video == nil {
            // Sound only: its first packet sets the clock.
            started = true
            try startAudio(origin: Double(packet.pts ?? 0) * (audio?.timeBase.doubleValue ?? 0), clock: Date())
        }
        if let audioRung {
            try audioRung.take(packet, emit: emit)
        } else if earlyAudio.count < 500 {
            earlyAudio.append(PacketBox(packet))
        }
    }

    private func finish() throws {
        if let decoder {
            try decoder.sendEndOfStream()
            try receivePictures()
        }
        try largest?.finish(emit: emit)
        try audioRung?.finish(emit: emit)
        guard started else {
            throw TranscodeError(.badInput, file: LiveTranscoder.sourceName, reason: "the live stream ended before its first picture")
        }
    }
}
