import Ladder

/// A live job for the live transcoder: the stream to pull (its URL holds the stream key: never
/// logged), what to make of it, and where the chunks go.
public struct LiveOptions: Sendable, Codable, Equatable {
    public var url: String
    public var request: LiveRequest
    public var outputDirectory: String
    /// Seconds a read may wait before the source counts as stalled.
    public var readTimeout: Double

    public init(url: String, request: LiveRequest, outputDirectory: String, readTimeout: Double = 10) {
        self.url = url
        self.request = request
        self.outputDirectory = outputDirectory
        self.readTimeout = readTimeout
    }
}
