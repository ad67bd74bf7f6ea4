/// What a studio edit made: the file and what it holds, for the log and the checks.
public struct StudioEditResult: Sendable, Codable, Equatable {
    public var file: String
    public var width: Int
    public var height: Int
    public var fps: Int
    public var hasAudio: Bool
    /// Seconds, from the frames written.
    public var duration: Double
    /// Seconds the tasks' arithmetic gives (PeerTube checks the result within 1 s of it).
    public var expectedDuration: Double
}
