import Foundation

/// One libavfilter graph that applies every task of a studio job in order, reading each file
/// itself (`movie` sources), so the whole edit is one decode of each input and one encode, with
/// no intermediate file (PeerTube runs one ffmpeg per task, each re-encoding the last one's output).
///
/// It follows PeerTube's edition (`ffmpeg-edition.ts`, runner-live-and-studio.md §2.2): the size
/// stays the main video's, every task's output is at the main video's rounded frame rate, an
/// intro or outro is stretched to the video's size (what ffmpeg 5.1's `scale2ref` does), silence
/// stands in for an intro without sound, a video without sound stays without, the watermark is
/// 10 % of the height at the top right with margins a fraction of the height on both axes.
public struct StudioGraph: Sendable, Equatable {
    /// The filter graph, ending in `[vout]` and, when the result has sound, `[aout]`.
    public var description: String
    public var width: Int
    public var height: Int
    public var fps: Int
    public var hasAudio: Bool
    public var sampleRate: Int
    /// Seconds the result should last, from the tasks' arithmetic.
    public var duration: Double

    /// Builds the graph for `tasks` on `main` (with its sound in `separateAudio` when the video
    /// file has none). `files` describes each task's file by its path.
    public static func build(main: StudioMedia, separateAudio: StudioMedia?, tasks: [StudioTask],
                             files: [String: StudioMedia]) throws(StudioProblem) -> StudioGraph {
        guard main.hasVideo, main.width > 0, main.height > 0 else { throw StudioProblem(description: "the video has no picture to edit") }
        guard !tasks.isEmpty else { throw StudioProblem(description: "the job has no task") }
        var builder = StudioGraphBuilder(width: main.width, height: main.height, fps: max(main.fps, 1),
                                         sampleRate: AudioRule.sampleRate(source: (separateAudio ?? main).sampleRate))
        builder.open(main: main, separateAudio: separateAudio)
        for task in tasks { try builder.apply(task, files: files) }
        return builder.finish()
    }
}
