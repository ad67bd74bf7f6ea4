/// How to open a video encoder. Values are FFmpeg's units (bits per second, frames).
public struct VideoEncoderSettings: Sendable, Equatable {
    public var codecName: String
    public var width: Int
    public var height: Int
    /// Constant output frame rate; the encoder time base is its inverse.
    public var frameRate: Int
    /// Maximum distance between keyframes (`-g`).
    public var gopSize: Int
    /// `-bf`.
    public var maxBFrames: Int
    /// `-maxrate`, bits per second (0: no cap).
    public var maxRate: Int
    /// `-bufsize`, bits.
    public var bufferSize: Int
    /// Encoder threads (0: the codec decides).
    public var threads: Int
    /// Split each frame into slices encoded in parallel instead of encoding several frames at
    /// once. Frame threads keep `threads` more frames in flight (with x264's B-frames and
    /// lookahead, hundreds of MB at 1080p); slice threads hold no more than one thread does.
    public var sliceThreads: Bool
    /// Private codec options, e.g. `preset`, `b_strategy`, `tune`.
    public var options: [String: String]
    public var sampleAspectRatio: Rational?
    /// Colour tags written into the stream (ffprobe names, e.g. `bt709`); nil leaves them unset.
    public var colorPrimaries: String?
    public var colorTransfer: String?
    public var colorSpace: String?
    public var colorRange: String?

    public init(codecName: String = "libx264", width: Int, height: Int, frameRate: Int, gopSize: Int,
                maxBFrames: Int, maxRate: Int, bufferSize: Int, threads: Int = 0, sliceThreads: Bool = false, options: [String: String] = [:],
                sampleAspectRatio: Rational? = nil, colorPrimaries: String? = nil, colorTransfer: String? = nil,
                colorSpace: String? = nil, colorRange: String? = nil) {
        self.codecName = codecName
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.gopSize = gopSize
        self.maxBFrames = maxBFrames
        self.maxRate = maxRate
        self.bufferSize = bufferSize
        self.threads = threads
        self.sliceThreads = sliceThreads
        self.options = options
        self.sampleAspectRatio = sampleAspectRatio
        self.colorPrimaries = colorPrimaries
        self.colorTransfer = colorTransfer
        self.colorSpace = colorSpace
        self.colorRange = colorRange
    }
}

/// How to open an audio encoder (always planar float stereo for FFmpeg's AAC encoder).
public struct AudioEncoderSettings: Sendable, Equatable {
    public var codecName: String
    public var sampleRate: Int
    public var channels: Int
    public var bitRate: Int

    public init(codecName: String = "aac", sampleRate: Int, channels: Int = 2, bitRate: Int) {
        self.codecName = codecName
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitRate = bitRate
    }
}
