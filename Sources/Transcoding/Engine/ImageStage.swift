import Foundation
import LibAV
import Packaging

/// Makes the preview, thumbnail and storyboard from the frames the one decode already produced:
/// it sees every picture (by reference) and keeps only the few it needs.
final class ImageStage: @unchecked Sendable {
    struct Output: Sendable {
        var preview: [UInt8]
        var thumbnail: [UInt8]
        var storyboard: (layout: Storyboard, jpeg: [UInt8])?
    }

    let queue: BoundedQueue<StageItem>
    private let layout: Storyboard?
    private let window: ClosedRange<Double>
    private var candidateTimes: [Double]
    /// The frames around the middle, as JPEGs keyed by their index in the window.
    private let windowStills = StillEncoder()
    /// FFmpeg's `thumbnail` filter over small copies of the window frames: it returns the most
    /// representative one, whose index (pts) picks the still.
    private var selection: FilterGraph?
    /// Frames sampled along the video, the fallback when the middle is blank.
    private let sampledStills = StillEncoder()
    private var storyboardGraph: FilterGraph?
    private var nextSprite = 0
    private var windowFrames: Int64 = 0
    private var sampledFrames: Int64 = 0
    private var lastFrame: FrameBox?

    /// `duration` and the picture size are the source's, after rotation.
    /// `layout` replaces PeerTube's own storyboard rules (a runner's storyboard job names its own).
    init(duration: Double, width: Int, height: Int, frameRate: Double, storyboard: Bool, layout: Storyboard? = nil,
         queueCapacity: Int) {
        queue = BoundedQueue(capacity: queueCapacity)
        self.layout = storyboard ? layout ?? Storyboard(duration: duration, width: width, height: height) : nil
        let half = Double(ImageRecipe.framesToAnalyze) / 2 / max(frameRate, 1)
        let middle = duration / 2
        window = max(0, middle - max(half, 1))...(middle + max(half, 1))
        candidateTimes = stride(from: 0.1, through: 0.9, by: 0.1).map { $0 * duration }
    }

    func run(cancellation: CancellationFlag) throws(FFmpegError) -> Output? {
        while let item = queue.pop() {
            if cancellation.isCancelled { return nil }
            switch item {
            case .video(let picture, let time, _):
                try consider(picture.source, time: time)
            case .audio, .copiedVideo:
                continue
            case .end:
                return try finish()
            }
        }
        return nil
    }

    private func consider(_ box: FrameBox, time: Double) throws(FFmpegError) {
        lastFrame = box
        if let layout {
            while nextSprite < layout.totalSprites && time + 0.001 >= Double(nextSprite * layout.spriteDuration) {
                if storyboardGraph == nil {
                    storyboardGraph = try box.withFrame { frame throws(FFmpegError) in
                        try FilterGraph(description: ImageRecipe.storyboardFilter(
                            spriteWidth: layout.spriteWidth, spriteHeight: layout.spriteHeight,
                            columns: layout.columns, rows: layout.rows), like: frame, timeBase: Rational(1, 1))
                    }
                }
                let sprite = try box.frameReference()
                sprite.pts = Int64(nextSprite)
                try storyboardGraph?.push(sprite)
                nextSprite += 1
            }
        }
        if window.contains(time) && windowFrames < ImageRecipe.framesToAnalyze {
            try addToWindow(box)
        }
        if let next = candidateTimes.first, time >= next {
            candidateTimes.removeFirst()
            try sampledStills.add(box, key: sampledFrames)
            sampledFrames += 1
        }
    }

    private func addToWindow(_ box: FrameBox) throws(FFmpegError) {
        if selection == nil {
            selection = try box.withFrame { frame throws(FFmpegError) in
                try FilterGraph(description: ImageRecipe.selectionFilter, like: frame, timeBase: Rational(1, 25))
            }
        }
        let small = try box.frameReference()
        small.pts = windowFrames
        try selection?.push(small)
        try windowStills.add(box, key: windowFrames)
        windowFrames += 1
    }

    private func finish() throws(FFmpegError) -> Output? {
        guard let lastFrame else { return nil }
        if windowFrames == 0 { try addToWindow(lastFrame) }
        let chosen = try drain(selection).flatMap { $0.withFrame { $0.pts } } ?? 0
        try windowStills.finish()
        var still = windowStills.stills[chosen]
        if (still?.spread ?? 0) < ImageRecipe.blankSpread {
            // A fade or a black middle: take the liveliest of the frames sampled along the video.
            try sampledStills.finish()
            let liveliest = sampledStills.stills.values.max { $0.spread < $1.spread }
            if let liveliest, liveliest.spread > (still?.spread ?? -1) { still = liveliest }
        }
        guard let still else { return nil }
        var storyboard: (Storyboard, [UInt8])?
        if let layout, let sheet = try drain(storyboardGraph) {
            storyboard = (layout, try sheet.withFrame { frame throws(FFmpegError) in try JPEGEncoder.encode(frame, qscale: 3) })
        }
        return Output(preview: still.preview, thumbnail: still.thumbnail, storyboard: storyboard)
    }

    /// Flushes a single-output graph and returns its last frame.
    private func drain(_ graph: FilterGraph?) throws(FFmpegError) -> FrameBox? {
        guard let graph else { return nil }
        try graph.pushEndOfStream()
        var last: FrameBox?
        while let frame = try graph.pull() { last = FrameBox(frame) }
        return last
    }
}
