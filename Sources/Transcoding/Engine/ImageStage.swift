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
    /// The liveliest fallback seen so far, already on the preview canvas.
    private var bestCandidate: (picture: FrameBox, spread: Double)?
    private var previewGraph: FilterGraph?
    private var storyboardGraph: FilterGraph?
    private var nextSprite = 0
    private var windowFrames = 0
    private var lastFrame: FrameBox?
    private var previewPTS: Int64 = 0

    /// `duration` and the picture size are the source's, after rotation.
    init(duration: Double, width: Int, height: Int, frameRate: Double, storyboard: Bool, queueCapacity: Int) {
        queue = BoundedQueue(capacity: queueCapacity)
        layout = storyboard ? Storyboard(duration: duration, width: width, height: height) : nil
        let half = Double(ImageRecipe.framesToAnalyze) / 2 / max(frameRate, 1)
        let middle = duration / 2
        window = max(0, middle - max(half, 1))...(middle + max(half, 1))
        candidateTimes = stride(from: 0.1, through: 0.9, by: 0.1).map { $0 * duration }
    }

    func run(cancellation: CancellationFlag) throws(FFmpegError) -> Output? {
        while let item = queue.pop() {
            if cancellation.isCancelled { return nil }
            switch item {
            case .video(let box, let time):
                try consider(box, time: time)
            case .audio:
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
            try pushPreview(box)
            windowFrames += 1
        }
        if let next = candidateTimes.first, time >= next {
            candidateTimes.removeFirst()
            try considerCandidate(box)
        }
    }

    private func pushPreview(_ box: FrameBox) throws(FFmpegError) {
        if previewGraph == nil {
            previewGraph = try box.withFrame { frame throws(FFmpegError) in
                try FilterGraph(description: ImageRecipe.previewFilter(sourceWidth: frame.width, sourceHeight: frame.height),
                                like: frame, timeBase: Rational(1, 25))
            }
        }
        let reference = try box.frameReference()
        reference.pts = previewPTS
        previewPTS += 1
        try previewGraph?.push(reference)
    }

    private func finish() throws(FFmpegError) -> Output? {
        guard let lastFrame else { return nil }
        if windowFrames == 0 { try pushPreview(lastFrame) }
        var preview = try drain(previewGraph)
        if preview.map({ ($0.withFrame { $0.lumaSpread } ?? 0) < ImageRecipe.blankSpread }) ?? true {
            // A fade or a black middle: take the liveliest of the frames kept along the video.
            preview = bestCandidate?.picture ?? preview
        }
        guard let preview else { return nil }
        let previewJPEG = try preview.withFrame { frame throws(FFmpegError) in try JPEGEncoder.encode(frame) }
        let thumbnail = try preview.withFrame { frame throws(FFmpegError) -> FrameBox? in
            let graph = try FilterGraph(description: ImageRecipe.thumbnailFilter, like: frame, timeBase: Rational(1, 25))
            try graph.push(try frame.ref())
            return try drain(graph)
        }
        let thumbnailJPEG = try thumbnail?.withFrame { frame throws(FFmpegError) in try JPEGEncoder.encode(frame) } ?? []
        var storyboard: (Storyboard, [UInt8])?
        if let layout, let sheet = try drain(storyboardGraph) {
            storyboard = (layout, try sheet.withFrame { frame throws(FFmpegError) in try JPEGEncoder.encode(frame, qscale: 3) })
        }
        return Output(preview: previewJPEG, thumbnail: thumbnailJPEG, storyboard: storyboard)
    }

    /// Places a frame from along the video on the canvas and keeps it if it is the liveliest yet.
    private func considerCandidate(_ box: FrameBox) throws(FFmpegError) {
        let graph = try box.withFrame { frame throws(FFmpegError) in
            try FilterGraph(description: ImageRecipe.stillFilter(sourceWidth: frame.width, sourceHeight: frame.height),
                            like: frame, timeBase: Rational(1, 25))
        }
        try graph.push(try box.frameReference())
        if let picture = try drain(graph), let spread = picture.withFrame({ $0.lumaSpread }), spread > (bestCandidate?.spread ?? -1) {
            bestCandidate = (picture, spread)
        }
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
