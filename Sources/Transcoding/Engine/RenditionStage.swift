import Foundation
import Ladder
import LibAV
import Packaging

/// One rendition's thread: constant frame rate, scaling, forced keyframes on the shared grid,
/// H.264 encoding and segmenting. Owns its encoder, scaler and writer; touches nothing else
/// but its input queue and its progress counter.
final class RenditionStage: @unchecked Sendable {
    let plan: RenditionPlan?
    let label: String
    let queue: BoundedQueue<StageItem>
    private let encoder: Encoder?
    private let writer: SegmentWriter
    private var converter: FrameRateConverter
    private let keyframeInterval: Int64
    private var scaler: Scaler?
    private var pending: FrameBox?
    private var pendingScaled: FrameBox?
    private let progress = LockedValue(0.0)

    /// Output of a finished rendition.
    struct Output: Sendable {
        var initLength: Int64
        var segments: [Segment]
        var size: Int64
        var codecs: [String]
    }

    /// A video rendition (with the shared audio muxed in when `audio` is given).
    init(plan: RenditionPlan, settings: VideoEncoderSettings, audio: Encoder?, keyframeSeconds: Int, segmentSeconds: Int,
         path: String, queueCapacity: Int) throws(FFmpegError) {
        self.plan = plan
        label = "\(plan.resolution)p"
        let encoder = try Encoder.video(settings)
        self.encoder = encoder
        writer = try SegmentWriter(path: path, video: encoder, audio: audio, segmentSeconds: segmentSeconds, videoFPS: plan.fps)
        converter = FrameRateConverter(fps: plan.fps)
        keyframeInterval = Int64(plan.keyframeInterval(seconds: keyframeSeconds))
        queue = BoundedQueue(capacity: queueCapacity)
    }

    /// The audio-only rendition of split audio (resolution 0).
    init(audio: Encoder, segmentSeconds: Int, path: String, queueCapacity: Int) throws(FFmpegError) {
        plan = nil
        label = "audio"
        encoder = nil
        writer = try SegmentWriter(path: path, video: nil, audio: audio, segmentSeconds: segmentSeconds, videoFPS: nil)
        converter = FrameRateConverter(fps: 1)
        keyframeInterval = 1
        queue = BoundedQueue(capacity: queueCapacity)
    }

    /// RFC 6381 codec of the video track (from the real SPS), nil for audio-only.
    var videoCodec: String? {
        encoder.flatMap { CodecString.avc1(extradata: $0.extradata) }
    }

    /// Seconds of output written.
    var encodedTime: Double { progress.value }

    /// Runs until the `.end` item or cancellation. Returns nil when cancelled.
    func run(cancellation: CancellationFlag) throws(FFmpegError) -> Output? {
        while let item = queue.pop() {
            if cancellation.isCancelled { return nil }
            switch item {
            case .video(let box, let time):
                let slots = converter.push(time: time)
                if let previous = pending { try emit(previous, slots: slots) }
                pending = box
                pendingScaled = nil
            case .audio(let box):
                if let packet = box.take() { try writer.addAudio(packet) }
                progress.value = writer.writtenTime
            case .end(let videoEnd):
                if let last = pending {
                    try emit(last, slots: converter.finish(endTime: videoEnd))
                }
                pending = nil
                pendingScaled = nil
                if let encoder {
                    try encoder.sendEndOfStream()
                    try drain(encoder)
                }
                let result = try writer.finish()
                progress.value = writer.writtenTime
                return Output(initLength: result.initLength, segments: result.segments, size: result.size, codecs: [])
            }
        }
        return nil
    }

    /// Encodes `box` (scaled once, however many slots it fills) for each slot.
    private func emit(_ box: FrameBox, slots: Range<Int64>) throws(FFmpegError) {
        guard let encoder, let plan, !slots.isEmpty else { return }
        let picture: FrameBox
        if let ready = pendingScaled {
            picture = ready
        } else {
            picture = try scaled(box, plan: plan)
            pendingScaled = picture
        }
        for slot in slots {
            try picture.withFrame { frame throws(FFmpegError) in
                frame.pts = slot
                frame.setForcedKeyframe(slot % keyframeInterval == 0)
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

