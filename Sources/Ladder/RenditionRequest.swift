/// A rendition asked for by someone else's rules (a PeerTube runner job names its resolution and
/// frame rate), made instead of the tier's ladder.
public struct RenditionRequest: Sendable, Equatable, Hashable, Codable {
    /// min(width, height); 0 is the audio-only rendition.
    public var resolution: Int
    public var fps: Int

    public init(resolution: Int, fps: Int) {
        self.resolution = resolution
        self.fps = fps
    }
}
