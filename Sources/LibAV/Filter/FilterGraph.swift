internal import CFFmpeg

/// A libavfilter chain from one video input to one output, for what swscale cannot do:
/// deinterlacing (bwdif), rotation (transpose), HDR tone mapping (zscale + tonemap).
///
/// Frames pushed in are owned by the graph (`av_buffersrc_add_frame_flags` takes the
/// references); frames pulled out are ours.
public final class FilterGraph {
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    public private(set) var isDrained = false

    /// Builds `description` (filter syntax, e.g. `"transpose=clock"`) for frames shaped like
    /// `example` with timestamps in `timeBase`.
    public init(description: String, like example: borrowing Frame, timeBase: Rational, threads: Int = 0) throws(FFmpegError) {
        guard let graph = avfilter_graph_alloc() else { throw .outOfMemory("avfilter_graph_alloc") }
        self.graph = graph
        graph.pointee.nb_threads = Int32(threads)
        let sar = example.pointer.pointee.sample_aspect_ratio
        // Pushed frames are relabelled from yuvj to yuv + full range (see `push`); the scale
        // filters read the range from each frame.
        let format = Frame.plainFormat(of: example.pixelFormat) ?? example.pixelFormat
        let arguments = "video_size=\(example.width)x\(example.height):pix_fmt=\(format.rawValue)"
            + ":time_base=\(timeBase.numerator)/\(max(timeBase.denominator, 1))"
            + ":pixel_aspect=\(max(sar.num, 0))/\(max(sar.den, 1))"
        var created: UnsafeMutablePointer<AVFilterContext>?
        try check(avfilter_graph_create_filter(&created, avfilter_get_by_name("buffer"), "in", arguments, nil, graph),
                  "filter source (\(arguments))")
        guard let source = created else { throw .invalidArgument("buffer") }
        created = nil
        try check(avfilter_graph_create_filter(&created, avfilter_get_by_name("buffersink"), "out", nil, nil, graph),
                  "filter sink")
        guard let sink = created else { throw .invalidArgument("buffersink") }
        self.source = source
        self.sink = sink

        // avfilter_graph_parse_ptr takes these lists and leaves in them only what it did not
        // link, so exactly what remains afterwards is freed.
        var outputList = avfilter_inout_alloc()
        var inputList = avfilter_inout_alloc()
        defer {
            avfilter_inout_free(&outputList)
            avfilter_inout_free(&inputList)
        }
        guard let outputs = outputList, let inputs = inputList else { throw .outOfMemory("avfilter_inout_alloc") }
        outputs.pointee.name = av_strdup("in")
        outputs.pointee.filter_ctx = source
        inputs.pointee.name = av_strdup("out")
        inputs.pointee.filter_ctx = sink
        try check(avfilter_graph_parse_ptr(graph, description, &inputList, &outputList, nil), "filter graph '\(description)'")
        try check(avfilter_graph_config(graph, nil), "filter graph '\(description)'")
    }

    deinit {
        avfilter_graph_free(&graph)
    }

    /// Time base of the frames coming out.
    public var outputTimeBase: Rational { Rational(av_buffersink_get_time_base(sink)) }

    /// Hands a frame to the graph and runs it through at once (`AV_BUFFERSRC_FLAG_PUSH`): without
    /// the flag, frames wait at full size at the graph's input until something pulls, so a graph
    /// that only yields at the end (thumbnail, tile) would hold every input frame.
    /// The corresponding C function is `av_buffersrc_add_frame_flags`.
    public func push(_ frame: consuming Frame) throws(FFmpegError) {
        frame.relabelDeprecatedJPEGFormat()
        try check(av_buffersrc_add_frame_flags(source, frame.pointer, Int32(AV_BUFFERSRC_FLAG_PUSH)), "filter input")
    }

    /// Signals the end of input so the graph releases what it holds.
    public func pushEndOfStream() throws(FFmpegError) {
        try check(av_buffersrc_add_frame_flags(source, nil, 0), "filter flush")
    }

    /// The next filtered frame, or nil when the graph needs input (or is drained).
    /// The corresponding C function is `av_buffersink_get_frame`.
    public func pull() throws(FFmpegError) -> Frame? {
        let frame = try Frame()
        guard try received(av_buffersink_get_frame(sink, frame.pointer), drained: &isDrained, "filter output") else { return nil }
        return .some(frame)
    }
}
