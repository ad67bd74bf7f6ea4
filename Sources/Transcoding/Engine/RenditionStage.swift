import Foundation
import Ladder
import LibAV
import Packaging

/// One rendition's thread: constant frame rate, forced keyframes, H.264 encoding and segmenting
/// of pictures at its size (``SourcePicture``, scaled through the shared ``ScaleCascade``); or,
/// for a copied top rung, segmenting the source's own packets. Owns its encoder and writer;
/// touches nothing else but its input queue, the shared pictures and its progress counter.
final class RenditionStage: @unchecked Sendable {
    let plan: RenditionPlan?
    let label: String
    let queue: BoundedQueue<StageItem>
    /// RFC 6381 codec of the video track, nil for audio-only.
    let videoCodec: String?
    private let encoder: Encoder?
    private let writer: SegmentWriter
    private var converter: FrameRateConverter
    private let keyframes: KeyframePlacement
    /// This rendition's level in the scale cascade.
    private let level: Int
    private var pending: (picture: SourcePicture, mark: KeyframeMark)?
    private let progress = LockedValue(0.0)

    /// Output of a finished rendition.
    struct Output: Sendable {
        var initLength: Int64
        var segments: [Segment]
        var size: Int64
        var codecs: [String]
    }

    /// An encoded video rendition (with the shared audio muxed in when `audio` is given), whose
    /// pictures are made at cascade `level`.
    init(plan: RenditionPlan, level: Int, settings: VideoEncoderSettings, audio: TrackFormat?, keyframes: KeyframePlacement,
         segmentSeconds: Int, path: String, queueCapacity: Int) throws(FFmpegError) {
        self.plan = plan
        self.level = level
        label = "\(plan.resolution)p"
        let encoder = try Encoder.video(settings)
        self.encoder = encoder
        videoCodec = CodecString.avc1(extradata: encoder.extradata)
        writer = try SegmentWriter(path: path, video: try TrackFormat(encoder: encoder), audio: audio, segmentSeconds: segmentSeconds)
        converter = FrameRateConverter(fps: plan.fps)
        self.keyframes = keyframes
        queue = BoundedQueue(capacity: queueCapacity)
    }

    /// The copied top rung: the source's video packets as they are.
    init(copying plan: RenditionPlan, video: TrackFormat, audio: TrackFormat?, segmentSeconds: Int, path: String,
         queueCapacity: Int) throws(FFmpegError) {
        self.plan = plan
        label = "\(plan.resolution)p copy"
        encoder = nil
        videoCodec = CodecString.peerTubeAVC1(extradata: video.extradata)
        writer = try SegmentWriter(path: path, video: video, audio: audio, segmentSeconds: segmentSeconds)
        converter = FrameRateConverter(fps: plan.fps)
        keyframes = KeyframePlacement(interval: 1, segmentPeriod: 1, alignedToSource: true)
        level = 0
        queue = BoundedQueue(capacity: queueCapacity)
    }

    /// The audio-only rendition of split audio (resolution 0).
    init(audio: TrackFormat, segmentSeconds: Int, path: String, queueCapacity: Int) throws(FFmpegError) {
        plan = nil
        label = "audio"
        encoder = nil
        videoCodec = nil
        writer = try SegmentWriter(path: path, video: nil, audio: audio, segmentSeconds: segmentSeconds)
        converter = FrameRateConverter(fps: 1)
        keyframes = KeyframePlacement(interval: 1, segmentPeriod: 1, alignedToSource: false)
        level = 0
        queue = BoundedQueue(capacity: queueCapacity)
    }

    /// Seconds of output written.
    var encodedTime: Double { progress.value }

    /// Runs until the `.end` item or cancellation. Returns nil when cancelled.
    func run(cancellation: CancellationFlag) throws(FFmpegError) -> Output? {
        while let item = queue.pop() {
            if cancellation.isCancelled { return nil }
            switch item {
            case .video(let picture, let time, let mark):
                let slots = converter.push(time: time)
                if let previous = pending { try emit(previous.picture, slots: slots, mark: previous.mark) }
                pending = (picture, mark)
            case .copiedVideo(let box, let cut):
                if let packet = box.take() {
                    if cut, let pts = packet.pts { writer.scheduleCut(atPTS: pts) }
                    try writer.addVideo(packet)
                }
                progress.value = writer.writtenTime
            case .audio(let box):
                if let packet = box.take() { try writer.addAudio(packet) }
                progress.value = writer.writtenTime
            case .end(let videoEnd):
                return try finish(videoEnd: videoEnd)
            }
        }
        return nil
    }

    private func finish(videoEnd: Double) throws(FFmpegError) -> Output {
        if let last = pending {
            try emit(last.picture, slots: converter.finish(endTime: videoEnd), mark: last.mark)
        }
        pending = nil
        if let encoder {
            try encoder.sendEndOfStream()
            try drain(encoder)
        }
        let result = try writer.finish()
        progress.value = writer.writtenTime
        return Output(initLength: result.initLength, segments: result.segments, size: result.size,
                      codecs: videoCodec.map { [$0] } ?? [])
    }

    /// Encodes `picture` at this rendition's size (scaled once, however many slots it fills) for
    /// each slot; a source keyframe mark goes on its first slot, or on the next picture's when
    /// this one fills none.
    private func emit(_ picture: SourcePicture, slots: Range<Int64>, mark: KeyframeMark) throws(FFmpegError) {
        guard let encoder else { return }
        var mark = keyframes.carry(mark)
        guard !slots.isEmpty else {
            keyframes.hold(mark)
            return
        }
        let scaled = try picture.scaled(toLevel: level)
        for slot in slots {
            let decision = keyframes.decide(slot: slot, mark: mark)
            mark = .none
            if decision.cut { writer.scheduleCut(atPTS: slot) }
            // A reference of its own: the scaled picture is shared with the smaller renditions.
            let frame = try scaled.frameReference()
            frame.pts = slot
            frame.setForcedKeyframe(decision.keyframe)
            while try encoder.send(frame) == .mustReceiveFirst {
                try drain(encoder)
            }
            try drain(encoder)
        }
    }

    private func drain(_ encoder: Encoder) throws(FFmpegError) {
        while let packet = try encoder.receive() {
            try writer.addVideo(packet)
        }
        progress.value = writer.writtenTime
    }
}
