import Foundation
import Ladder
import LibAV
import Packaging

/// One rendition's thread: constant frame rate, scaling, forced keyframes, H.264 encoding and
/// segmenting; or, for a copied top rung, segmenting the source's own packets. Owns its
/// encoder, scaler and writer; touches nothing else but its input queue and its progress counter.
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
    private var scaler: Scaler?
    private var pending: (box: FrameBox, mark: KeyframeMark)?
    private var pendingScaled: FrameBox?
    private let progress = LockedValue(0.0)

    /// Output of a finished rendition.
    struct Output: Sendable {
        var initLength: Int64
        var segments: [Segment]
        var size: Int64
        var codecs: [String]
    }

    /// An encoded video rendition (with the shared audio muxed in when `audio` is given).
    init(plan: RenditionPlan, settings: VideoEncoderSettings, audio: TrackFormat?, keyframes: KeyframePlacement,
         segmentSeconds: Int, path: String, queueCapacity: Int) throws(FFmpegError) {
        self.plan = plan
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
        queue = BoundedQueue(capacity: queueCapacity)
    }

    /// Seconds of output written.
    var encodedTime: Double { progress.value }

    /// Runs until the `.end` item or cancellation. Returns nil when cancelled.
    func run(cancellation: CancellationFlag) throws(FFmpegError) -> Output? {
        while let item = queue.pop() {
            if cancellation.isCancelled { return nil }
            switch item {
            case .video(let box, let time, let mark):
                let slots = converter.push(time: time)
                if let previous = pending { try emit(previous.box, slots: slots, mark: previous.mark) }
                pending = (box, mark)
                pendingScaled = nil
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
            try emit(last.box, slots: converter.finish(endTime: videoEnd), mark: last.mark)
        }
        pending = nil
        pendingScaled = nil
        if let encoder {
            try encoder.sendEndOfStream()
            try drain(encoder)
        }
        let result = try writer.finish()
        progress.value = writer.writtenTime
        return Output(initLength: result.initLength, segments: result.segments, size: result.size,
                      codecs: videoCodec.map { [$0] } ?? [])
    }

    /// Encodes `box` (scaled once, however many slots it fills) for each slot; a source keyframe
    /// mark goes on its first slot, or on the next picture's when this one fills none.
    private func emit(_ box: FrameBox, slots: Range<Int64>, mark: KeyframeMark) throws(FFmpegError) {
        guard let encoder, let plan else { return }
        var mark = keyframes.carry(mark)
        guard !slots.isEmpty else {
            keyframes.hold(mark)
            return
        }
        let picture: FrameBox
        if let ready = pendingScaled {
            picture = ready
        } else {
            picture = try scaled(box, plan: plan)
            pendingScaled = picture
        }
        for slot in slots {
            let decision = keyframes.decide(slot: slot, mark: mark)
            mark = .none
            if decision.cut { writer.scheduleCut(atPTS: slot) }
            try picture.withFrame { frame throws(FFmpegError) in
                frame.pts = slot
                frame.setForcedKeyframe(decision.keyframe)
                while try encoder.send(frame) == .mustReceiveFirst {
                    try drain(encoder)
                }
            }
            try drain(encoder)
        }
    }

    private func scaled(_ box: FrameBox, plan: RenditionPlan) throws(FFmpegError) -> FrameBox {
        try box.withFrame { frame throws(FFmpegError) -> FrameBox in
            if Scaler.isPassThrough(frame, width: plan.width, height: plan.height) {
                return FrameBox(try frame.ref())
            }
            if scaler.map({ !$0.accepts(frame) }) ?? true {
                scaler = try Scaler(like: frame, width: plan.width, height: plan.height)
            }
            guard let scaler else { throw FFmpegError(code: -22, operation: "scaler") }
            return FrameBox(try scaler.scale(frame))
        }
    }

    private func drain(_ encoder: Encoder) throws(FFmpegError) {
        while let packet = try encoder.receive() {
            try writer.addVideo(packet)
        }
        progress.value = writer.writtenTime
    }
}
