internal import CFFmpeg

/// A libavfilter graph that reads its own inputs (`movie`, `amovie`, `anullsrc` sources) and
/// ends in a video output `[vout]` and optionally an audio output `[aout]`: a whole edit (cuts,
/// joins, overlays) pulled frame by frame, with no frame pushed in by the caller.
public final class SourceGraph {
    public enum Output: Sendable { case video, audio }

    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let videoSink: UnsafeMutablePointer<AVFilterContext>
    private let audioSink: UnsafeMutablePointer<AVFilterContext>?
    public private(set) var videoDrained = false
    public private(set) var audioDrained: Bool

    /// Builds `description`, whose open outputs are `vout` and, with `audio`, `aout`.
    public init(description: String, audio: Bool, threads: Int = 0) throws(FFmpegError) {
        guard let graph = avfilter_graph_alloc() else { throw .outOfMemory("avfilter_graph_alloc") }
        self.graph = graph
        graph.pointee.nb_threads = Int32(threads)
        videoSink = try Self.sink(named: "vout", filter: "buffersink", in: graph)
        audioSink = audio ? try Self.sink(named: "aout", filter: "abuffersink", in: graph) : nil
        audioDrained = !audio

        // avfilter_graph_parse_ptr takes the list and leaves in it only what it did not link.
        var inputList: UnsafeMutablePointer<AVFilterInOut>?
        try Self.append("vout", sink: videoSink, to: &inputList)
        if let audioSink { try Self.append("aout", sink: audioSink, to: &inputList) }
        var outputList: UnsafeMutablePointer<AVFilterInOut>?
        defer {
            avfilter_inout_free(&inputList)
            avfilter_inout_free(&outputList)
        }
        try check(avfilter_graph_parse_ptr(graph, description, &inputList, &outputList, nil), "filter graph")
        try check(avfilter_graph_config(graph, nil), "filter graph")
    }

    deinit {
        avfilter_graph_free(&graph)
    }

    private static func sink(named name: String, filter: String, in graph: UnsafeMutablePointer<AVFilterGraph>)
        throws(FFmpegError) -> UnsafeMutablePointer<AVFilterContext> {
        var created: UnsafeMutablePointer<AVFilterContext>?
        try check(avfilter_graph_create_filter(&created, avfilter_get_by_name(filter), name, nil, nil, graph), "filter sink \(name)")
        guard let created else { throw .invalidArgument(filter) }
        return created
    }

    private static func append(_ name: String, sink: UnsafeMutablePointer<AVFilterContext>,
                               to list: inout UnsafeMutablePointer<AVFilterInOut>?) throws(FFmpegError) {
        guard let entry = avfilter_inout_alloc() else { throw .outOfMemory("avfilter_inout_alloc") }
        entry.pointee.name = av_strdup(name)
        entry.pointee.filter_ctx = sink
        entry.pointee.next = list
        list = entry
    }

    /// Time base of the frames an output gives.
    public func timeBase(of output: Output) -> Rational {
        let sink = output == .video ? videoSink : (audioSink ?? videoSink)
        return Rational(av_buffersink_get_time_base(sink))
    }

    /// The next frame of `output`, reading the graph's sources as far as needed; nil once that
    /// output is drained, or when nothing can come out of it before the other output is read.
    /// The corresponding C function is `av_buffersink_get_frame`.
    public func pull(_ output: Output) throws(FFmpegError) -> Frame? {
        guard let sink = output == .video ? videoSink : audioSink else { return nil }
        let frame = try Frame()
        if output == .video {
            guard try received(av_buffersink_get_frame(sink, frame.pointer), drained: &videoDrained, "filter output") else { return nil }
        } else {
            guard try received(av_buffersink_get_frame(sink, frame.pointer), drained: &audioDrained, "filter output") else { return nil }
        }
        return .some(frame)
    }
}
