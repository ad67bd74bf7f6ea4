import Ladder

/// How many x264 threads each rendition gets when the pipeline leaves it to us
/// (`video.threadsPerRendition: 0`).
///
/// Every rendition already runs on its own thread, so one x264 thread each keeps all cores busy
/// with the least overhead (frame threads cost CPU and memory). The exception is a rendition
/// carrying more than one core's share of the pixels (the 1080p of a 6-rung ladder is ~55 %):
/// single-threaded it would finish last while the other cores idle, so it gets frame threads.
enum ThreadPlan {
    static func encoderThreads(for renditions: [RenditionPlan], cores: Int, configured: Int) -> [Int] {
        if configured > 0 { return renditions.map { _ in configured } }
        let work = renditions.map { Double($0.width * $0.height * $0.fps) }
        let total = work.reduce(0, +)
        guard total > 0, cores > 1 else { return renditions.map { _ in 1 } }
        return work.map { share in
            let cores = Double(cores)
            return share / total > 1 / cores ? min(Int(cores), Int((share / total * cores).rounded(.up))) : 1
        }
    }
}
