import Foundation
import Ladder
import LibAV

/// The one decode: demux, decode the chosen video and audio streams, normalise the picture,
/// encode the audio once (or pass the source's AAC on), hand the copied top rung the source's
/// own video packets, and fan everything out to every rendition's queue by reference.
final class SourceStage: @unchecked Sendable {
    /// The streams and queues one source stage feeds.
    struct Outputs {
        /// Queues of the encoded video renditions.
        var encoded: [BoundedQueue<StageItem>]
        /// Queue of the copied top rung, when there is one.
        var copy: BoundedQueue<StageItem>?
        /// Queue of the audio-only rendition, when there is one.
        var audioOnly: [BoundedQueue<StageItem>]
        /// The video renditions carry the audio too (no split audio).
        var audioMuxed: Bool
        /// Consumers of pictures only (the image stage): frames and the end, never audio.
        var pictures: [BoundedQueue<StageItem>]
        /// The encoded renditions' sizes, each made from the next larger (nil: no video encoded).
        var cascade: ScaleCascade?
    }

    private let demuxer: Demuxer
    private let file: String
    private let videoStream: StreamInfo?
    private let audioStreamIndex: Int?
    private let audio: AudioChain?
    private let audioCopy: AudioCopy?
    private let still: FrameBox?
    /// Queues of the video renditions (encoded), and of the audio-only rendition when audio is split.
    private let videoQueues: [BoundedQueue<StageItem>]
    private let copyQueue: BoundedQueue<StageItem>?
    private var alignment: KeyframeAlignment?
    private let videoTimeBase: Double
    private let videoOriginTicks: Int64
    private let audioQueues: [BoundedQueue<StageItem>]
    private let audioMuxed: Bool
    private let pictureQueues: [BoundedQueue<StageItem>]
    private let cascade: ScaleCascade?
    private let origin: Double
    private let fallbackFrameDuration: Double
    private var normalizer: FilterGraph?
    private let normalization: VideoNormalization?
    private var videoDecoder: Decoder?
    private var videoEnd = 0.0
    private var lastVideoTime: Double?
    private var nextStillTime = 1.0
    private(set) var decodedFrames = 0
    /// Whether any stage needs decoded pictures: not when the only video output is the copied
    /// rung, whose timing then comes from the packets.
    private let decodes: Bool
    private(set) var corruptPackets = 0
    private let position = LockedValue(0.0)

    init(demuxer: Demuxer, file: String, report: ProbeReport, audio: AudioChain?, audioCopy: AudioCopy?, still: FrameBox?,
         outputs: Outputs, segmentSeconds: Int, decoderThreads: Int) throws(FFmpegError) {
        self.demuxer = demuxer
        self.file = file
        self.audio = audio
        self.audioCopy = audioCopy
        self.still = still
        videoQueues = outputs.encoded
        copyQueue = outputs.copy
        alignment = outputs.copy == nil ? nil : KeyframeAlignment(segmentSeconds: segmentSeconds)
        audioQueues = outputs.audioOnly
        audioMuxed = outputs.audioMuxed
        pictureQueues = outputs.pictures
        cascade = outputs.cascade
        decodes = !outputs.encoded.isEmpty || !outputs.pictures.isEmpty
        audioStreamIndex = audio == nil && audioCopy == nil ? nil : report.audioStream?.index
        videoStream = still == nil ? report.videoStream : nil
        videoTimeBase = videoStream?.timeBase.doubleValue ?? 0
        if let videoStream {
            videoDecoder = try demuxer.makeDecoder(stream: videoStream.index, threads: decoderThreads)
            normalization = VideoNormalization(stream: videoStream)
            origin = videoStream.startTime ?? report.startTime ?? 0
            fallbackFrameDuration = 1 / (videoStream.framesPerSecond ?? 25)
            videoOriginTicks = videoTimeBase > 0 ? Int64((origin / videoTimeBase).rounded()) : 0
        } else {
            videoOriginTicks = 0
            normalization = nil
            origin = report.audioStream?.startTime ?? report.startTime ?? 0
            fallbackFrameDuration = 1
        }
    }

    /// Seconds of source read so far.
    var sourceTime: Double { position.value }

    static func origin(for report: ProbeReport, stillImage: Bool) -> Double {
        if !stillImage, let video = report.videoStream { return video.startTime ?? report.startTime ?? 0 }
        return report.audioStream?.startTime ?? report.startTime ?? 0
    }

    func run(cancellation: CancellationFlag) throws(FFmpegError) {
        if let still { try sendStill(still, at: 0) }
        while !cancellation.isCancelled, let packet = try demuxer.readPacket() {
            if let videoStream, packet.streamIndex == videoStream.index {
                if let copyQueue { try copy(packet, to: copyQueue) }
                if decodes { try decodeVideo(packet) }
            } else if packet.streamIndex == audioStreamIndex {
                try passAudio(packet)
            }
        }
        if cancellation.isCancelled { throw FFmpegError.cancelledByUser }
        if let videoDecoder, decodes {
            try videoDecoder.sendEndOfStream()
            try receiveVideo()
            if let normalizer {
                try normalizer.pushEndOfStream()
                try pullNormalized(normalizer)
            }
        }
        if let audio { try audio.finish(deliver: deliverAudio) }
        if still != nil { videoEnd = max(videoEnd, audioReached) }
        if decodes && still == nil && decodedFrames == 0 && videoStream != nil {
            throw FFmpegError(code: FFmpegError.invalidDataCode, operation: "no video frame could be decoded")
        }
        for queue in videoQueues + (copyQueue.map { [$0] } ?? []) + audioQueues + pictureQueues {
            queue.push(.end(videoEnd: videoEnd), cost: 0)
        }
    }

    /// End of the audio passed on so far, seconds.
    private var audioReached: Double { audioCopy?.reached ?? audio?.reached ?? 0 }

    /// Encodes one audio packet for every rendition (or passes the source's on), and moves a
    /// still picture along with the audio.
    private func passAudio(_ packet: borrowing Packet) throws(FFmpegError) {
        if let audioCopy {
            if let rebased = try audioCopy.rebased(packet) { try deliverAudio(rebased) }
        } else if let audio {
            try audio.decode(packet, deliver: deliverAudio)
        }
        position.value = max(position.value, audioReached)
        if let still, audioReached >= nextStillTime {
            try sendStill(still, at: nextStillTime)
            nextStillTime += 1
        }
    }

    /// Hands the copied rung the packet as it is, on the shared timeline; a keyframe may start a
    /// segment there, which every encoded rendition will follow.
    private func copy(_ packet: borrowing Packet, to queue: BoundedQueue<StageItem>) throws(FFmpegError) {
        let copy = try packet.ref()
        copy.shiftTimestamps(by: -videoOriginTicks)
        var cut = false
        if copy.isKeyframe, let pts = copy.pts {
            cut = alignment?.keyframe(at: Double(pts) * videoTimeBase) ?? false
        }
        if !decodes, let pts = copy.pts {
            // Nothing decodes: the copied packets tell how far the video has come and where it ends.
            let time = Double(pts) * videoTimeBase
            let duration = copy.duration > 0 ? Double(copy.duration) * videoTimeBase : fallbackFrameDuration
            videoEnd = max(videoEnd, time + duration)
            position.value = max(position.value, time)
        }
        let cost = copy.size + 64
        queue.push(.copiedVideo(PacketBox(copy), cut: cut), cost: cost)
    }

    private func decodeVideo(_ packet: borrowing Packet) throws(FFmpegError) {
        guard let videoDecoder else { return }
        do {
            while try videoDecoder.send(packet) == .mustReceiveFirst {
                try receiveVideo()
            }
        } catch where error.isInvalidData {
            corruptPackets += 1
            return
        }
        try receiveVideo()
    }

    private func receiveVideo() throws(FFmpegError) {
        guard let videoDecoder else { return }
        while true {
            let received: Frame?
            do {
                received = try videoDecoder.receive()
            } catch where error.isInvalidData {
                corruptPackets += 1
                continue
            }
            guard let frame = received else { return }
            decodedFrames += 1
            if let description = normalization?.filterDescription {
                if normalizer == nil {
                    normalizer = try FilterGraph(description: description, like: frame, timeBase: videoDecoder.timeBase)
                }
                if let normalizer {
                    frame.pts = frame.bestEffortTimestamp ?? frame.pts
                    try normalizer.push(frame)
                    try pullNormalized(normalizer)
                }
            } else {
                let pts = frame.bestEffortTimestamp ?? frame.pts
                try fanOut(frame, timeBase: videoDecoder.timeBase, pts: pts)
            }
        }
    }

    private func pullNormalized(_ graph: FilterGraph) throws(FFmpegError) {
        while let frame = try graph.pull() {
            let pts = frame.pts
            try fanOut(frame, timeBase: graph.outputTimeBase, pts: pts)
        }
    }

    /// Sends `frame` to every rendition (one shared picture), at its time from the start.
    private func fanOut(_ frame: consuming Frame, timeBase: Rational, pts: Int64?) throws(FFmpegError) {
        let base = timeBase.doubleValue ?? 0
        var time: Double
        if let pts { time = Double(pts) * base - origin } else { time = (lastVideoTime ?? -fallbackFrameDuration) + fallbackFrameDuration }
        if let last = lastVideoTime, time < last { time = last }  // never go back in time
        lastVideoTime = time
        let duration = frame.duration > 0 ? Double(frame.duration) * base : fallbackFrameDuration
        videoEnd = max(videoEnd, time + duration)
        position.value = max(position.value, time)
        let cost = frame.byteSize
        let mark = alignment?.mark(forPictureAt: time) ?? .none
        let picture = SourcePicture(source: FrameBox(frame), cascade: cascade)
        for queue in videoQueues + pictureQueues {
            queue.push(.video(picture, time: time, mark: mark), cost: cost)
        }
    }

    private func sendStill(_ still: FrameBox, at time: Double) throws(FFmpegError) {
        let picture = SourcePicture(source: try still.reference(), cascade: cascade)
        for queue in videoQueues + pictureQueues {
            queue.push(.video(picture, time: time, mark: .none), cost: 1)
        }
    }

    private func deliverAudio(_ packet: consuming Packet) throws(FFmpegError) {
        let queues = (audioMuxed ? videoQueues + (copyQueue.map { [$0] } ?? []) : []) + audioQueues
        let cost = packet.size + 64
        for queue in queues.dropLast() {
            queue.push(.audio(PacketBox(try packet.ref())), cost: cost)
        }
        queues.last?.push(.audio(PacketBox(packet)), cost: cost)
    }
}

