import Ladder

/// How many x264 threads each rendition gets when the pipeline leaves it to us
/// (`video.threadsPerRendition: 0`), and whether they split frames into slices.
///
/// Every rendition already runs on its own thread, so one x264 thread each keeps all cores busy
/// with the least overhead. The exception is a rendition carrying more than one core's share of
/// the pixels (the 1080p of a 6-rung ladder is ~55 %): single-threaded it would finish last while
/// the other cores idle. By default a rung above 720p gets *slice* threads: they hold no more
/// frames than one thread and cost a fraction of a percent in size. Frame threads
/// (`parallelism: frames`) keep the cores a little busier but hold more frames (see
/// ``frameThreadLookahead``). A dominant rung of 720p or less always gets frame threads: its frames
/// are small (~20 MB in flight), and x264's slice threads synchronise on every frame, which costs
/// most on few macroblock rows: the runner's second pass (720p down to 144p from the published
/// 1080p rung) took 11.4 s with slices and 9.8 s with frames on two cores.
///
/// A rendition encoded alone (the runner's publishing pass, which makes only the top rung) always
/// gets frame threads, as many as x264 itself would pick (1.5 per core): no other rung fills the
/// cores while slice threads wait for each other, and it holds no other rung's frames. On two
/// cores the phone-like 1080p publishing pass kept the cores 83 % busy with two slice threads and
/// 94 % with two frame threads, and published in 12.4 s instead of 14.1 s (one run); three frame
/// threads published 0.884x the official runner's time where two gave 0.904x (medians of 3).
enum ThreadPlan {
    /// Decoder threads for a source. A typical upload (up to 1080p30 at up to 20 Mb/s) decodes
    /// several times faster than the ladder encodes, even on one thread, and every frame thread
    /// keeps more decoded pictures alive; bigger, faster or denser sources (CABAC decoding
    /// follows the bitrate) get a second thread so the decode never becomes the slowest stage.
    static func decoderThreads(width: Int, height: Int, fps: Double, bitRate: Int64?) -> Int {
        let pixelRate = Double(width * height) * fps
        let typical = pixelRate <= 1920 * 1080 * 30 && (bitRate ?? 0) <= 20_000_000
        return typical ? 1 : 2
    }

    struct Threads: Equatable, Sendable {
        var count: Int
        var slices: Bool
    }

    /// x264's lookahead buffer with frame threads. Its default (B-frames + 1: 17 frames, ~150 MB
    /// at 1080p) measured no faster than 8 frames (~70 MB); the output is identical either way.
    static let frameThreadLookahead = 8

    /// The shorter side above which a dominant rung gets slice threads rather than frame threads.
    static let sliceThreadsAbove = 720

    static func encoderThreads(for renditions: [RenditionPlan], cores: Int, configured: Int,
                               parallelism: Pipeline.VideoSettings.Parallelism = .slices) -> [Threads] {
        if configured > 0 { return renditions.map { _ in Threads(count: configured, slices: false) } }
        let single = Threads(count: 1, slices: false)
        let work = renditions.map { Double($0.width * $0.height * $0.fps) }
        let total = work.reduce(0, +)
        guard total > 0, cores > 1 else { return renditions.map { _ in single } }
        if renditions.count == 1 { return [Threads(count: cores + cores / 2, slices: false)] }
        let cores = Double(cores)
        return zip(renditions, work).map { rendition, work in
            let share = work / total
            guard share > 1 / cores else { return single }
            return Threads(count: min(Int(cores), Int((share * cores).rounded(.up))),
                           slices: parallelism == .slices && min(rendition.width, rendition.height) > sliceThreadsAbove)
        }
    }
}
