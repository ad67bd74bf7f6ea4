/// What a live job asks for (runner-live-and-studio.md §1.1): the renditions in the instance's
/// order (resolution 0 is the audio), the chunk length by latency mode, and how many chunks each
/// playlist lists.
public struct LiveRequest: Sendable, Codable, Equatable {
    public var renditions: [RenditionRequest]
    /// Seconds per chunk: 4 (default and high latency) or 2 (small latency).
    public var segmentDuration: Int
    /// Entries per playlist: 15 (6.3), up to 1800 with 8.2's DVR window.
    public var segmentListSize: Int

    public init(renditions: [RenditionRequest], segmentDuration: Int, segmentListSize: Int) {
        self.renditions = renditions
        self.segmentDuration = segmentDuration
        self.segmentListSize = segmentListSize
    }

    /// Reads a live job's `output`; nil when it asks for nothing usable.
    public init?(output: [String: Any]) {
        guard let list = output["toTranscode"] as? [[String: Any]], !list.isEmpty else { return nil }
        var renditions: [RenditionRequest] = []
        for entry in list {
            guard let resolution = entry["resolution"] as? Int, resolution >= 0 else { return nil }
            renditions.append(RenditionRequest(resolution: resolution, fps: resolution == 0 ? 0 : max(entry["fps"] as? Int ?? 30, 1)))
        }
        let segment = output["segmentDuration"] as? Int ?? 4
        self.init(renditions: renditions, segmentDuration: max(segment, 1),
                  segmentListSize: max(output["segmentListSize"] as? Int ?? 15, 2))
    }

    /// The video renditions, in the instance's order.
    public var videoRenditions: [RenditionRequest] { renditions.filter { $0.resolution > 0 } }

    /// Whether an audio variant is asked for.
    public var wantsAudio: Bool { renditions.contains { $0.resolution == 0 } }
}
