internal import CFFmpeg

/// What a muxer needs to declare one track: the codec parameters and the time base of the
/// packets that will be written to it. Made from an opened encoder, or from a source stream
/// whose packets are copied unchanged (stream copy).
///
/// Owns its own copy of the parameters, so it outlives the encoder or demuxer it came from.
public final class TrackFormat: @unchecked Sendable {
    let parameters: UnsafeMutablePointer<AVCodecParameters>
    /// Time base of the packets handed to the muxer for this track.
    public let timeBase: Rational

    private init(timeBase: Rational, fill: (UnsafeMutablePointer<AVCodecParameters>) -> Int32) throws(FFmpegError) {
        guard let parameters = avcodec_parameters_alloc() else { throw .outOfMemory("avcodec_parameters_alloc") }
        self.parameters = parameters
        self.timeBase = timeBase
        try check(fill(parameters), "copy codec parameters")
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVCodecParameters>? = parameters
        avcodec_parameters_free(&doomed)
    }

    /// The track an encoder's packets go to. The corresponding C function is `avcodec_parameters_from_context`.
    public convenience init(encoder: Encoder) throws(FFmpegError) {
        try self.init(timeBase: encoder.timeBase) { avcodec_parameters_from_context($0, encoder.codec) }
    }

    /// The track a source stream's packets are copied to. The corresponding C function is `avcodec_parameters_copy`.
    convenience init(copying stream: UnsafeMutablePointer<AVStream>) throws(FFmpegError) {
        let source = stream.pointee.codecpar
        try self.init(timeBase: Rational(stream.pointee.time_base)) { avcodec_parameters_copy($0, source) }
        // The source's container tag (e.g. `H264` from AVI) may not be valid in MP4: let the muxer choose.
        parameters.pointee.codec_tag = 0
    }

    /// Codec-specific header bytes (for H.264: avcC from MP4/MKV, Annex B from a raw or TS stream).
    public var extradata: [UInt8] {
        guard let data = parameters.pointee.extradata, parameters.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(parameters.pointee.extradata_size)))
    }
}
