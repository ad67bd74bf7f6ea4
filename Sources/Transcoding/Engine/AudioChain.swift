import LibAV

/// Decode, resample to stereo at the target rate, re-chunk to 1024 samples and encode to AAC,
/// once for all renditions. Audio before the video's first frame is trimmed; audio starting
/// later is placed at its own time.
final class AudioChain {
    let decoder: Decoder
    let encoder: Encoder
    private let resampler: Resampler
    private var fifo: AudioFIFO?
    private let origin: Double
    private var samplesToSkip = 0
    private let sampleRate: Int
    /// End of the last decoded audio, seconds from the origin.
    private(set) var reached = 0.0

    init(decoder: Decoder, encoder: Encoder, sampleRate: Int, origin: Double) throws(FFmpegError) {
        self.decoder = decoder
        self.encoder = encoder
        self.sampleRate = sampleRate
        self.origin = origin
        resampler = try Resampler(from: decoder, to: encoder)
    }

    /// Feeds one audio packet; encoded packets go to `deliver`. Corrupt packets are skipped
    /// (as the ffmpeg CLI does); the read-back duration check catches real damage.
    func decode(_ packet: borrowing Packet, deliver: (consuming Packet) throws(FFmpegError) -> Void) throws(FFmpegError) {
        do {
            while try decoder.send(packet) == .mustReceiveFirst {
                try receiveDecoded(deliver: deliver)
            }
        } catch where error.isInvalidData {
            return
        }
        try receiveDecoded(deliver: deliver)
    }

    /// Drains decoder, resampler, FIFO and encoder.
    func finish(deliver: (consuming Packet) throws(FFmpegError) -> Void) throws(FFmpegError) {
        try decoder.sendEndOfStream()
        try receiveDecoded(deliver: deliver)
        let tail = try resampler.flush()
        try enqueue(tail, deliver: deliver)
        if let fifo {
            while let frame = try fifo.read(max(encoder.frameSize, 1)) {
                try encode(frame, deliver: deliver)
            }
        }
        try encoder.sendEndOfStream()
        while let packet = try encoder.receive() { try deliver(packet) }
    }

    private func receiveDecoded(deliver: (consuming Packet) throws(FFmpegError) -> Void) throws(FFmpegError) {
        while true {
            let decoded: Frame
            do {
                guard let frame = try decoder.receive() else { return }
                decoded = frame
            } catch where error.isInvalidData {
                continue
            }
            if fifo == nil {
                let start = decoded.bestEffortTimestamp.flatMap { pts in decoder.timeBase.doubleValue.map { Double(pts) * $0 } }
                let offset = (start ?? origin) - origin
                let startSample = Int64((offset * Double(sampleRate)).rounded())
                samplesToSkip = startSample < 0 ? Int(-startSample) : 0
                fifo = try AudioFIFO(for: encoder, startPTS: max(0, startSample))
            }
            let converted = try resampler.convert(decoded)
            try enqueue(converted, deliver: deliver)
        }
    }

    private func enqueue(_ frame: consuming Frame, deliver: (consuming Packet) throws(FFmpegError) -> Void) throws(FFmpegError) {
        guard let fifo, frame.sampleCount > 0 else { return }
        let skip = min(samplesToSkip, frame.sampleCount)
        samplesToSkip -= skip
        try fifo.write(frame, skip: skip)
        let size = max(encoder.frameSize, 1)
        while fifo.count >= size, let chunk = try fifo.read(size) {
            try encode(chunk, deliver: deliver)
        }
        reached = Double(fifo.nextPTS + Int64(fifo.count)) / Double(sampleRate)
    }

    private func encode(_ frame: consuming Frame, deliver: (consuming Packet) throws(FFmpegError) -> Void) throws(FFmpegError) {
        while try encoder.send(frame) == .mustReceiveFirst {
            while let packet = try encoder.receive() { try deliver(packet) }
        }
        while let packet = try encoder.receive() { try deliver(packet) }
    }
}
