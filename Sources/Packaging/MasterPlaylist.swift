/// PeerTube's master playlist (`updateMasterHLSPlaylist`): `#EXTM3U`, `#EXT-X-VERSION:3`, a
/// blank line, the audio group if audio is split, a blank line, then one stream per
/// rendition, lowest first, attributes in PeerTube's order.
public struct MasterPlaylist: Sendable, Equatable {
    public struct Stream: Sendable, Equatable {
        /// Peak segment bit rate (RFC 8216 4.3.4.2).
        public var bandwidth: Int
        public var averageBandwidth: Int?
        public var width: Int?
        public var height: Int?
        public var frameRate: Int?
        public var codecs: [String]
        public var uri: String
        /// Resolution label used for ordering (0 for audio-only).
        public var resolution: Int

        public init(bandwidth: Int, averageBandwidth: Int?, width: Int?, height: Int?, frameRate: Int?,
                    codecs: [String], uri: String, resolution: Int) {
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.codecs = codecs
            self.uri = uri
            self.resolution = resolution
        }
    }

    public var streams: [Stream]
    /// URI of the separate audio playlist when audio is split (PeerTube >= 6.3).
    public var audioGroupURI: String?

    public init(streams: [Stream], audioGroupURI: String?) {
        self.streams = streams
        self.audioGroupURI = audioGroupURI
    }

    public func render() -> String {
        var media: [String] = []
        if let audioGroupURI {
            media.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Audio\",AUTOSELECT=YES,DEFAULT=YES,URI=\"\(audioGroupURI)\"")
        }
        var streamLines: [String] = []
        for stream in streams.sorted(by: { $0.resolution < $1.resolution }) {
            var attributes = ["BANDWIDTH=\(stream.bandwidth)"]
            if let width = stream.width, let height = stream.height { attributes.append("RESOLUTION=\(width)x\(height)") }
            if let frameRate = stream.frameRate, frameRate > 0 { attributes.append("FRAME-RATE=\(frameRate)") }
            attributes.append("CODECS=\"\(stream.codecs.joined(separator: ","))\"")
            if audioGroupURI != nil { attributes.append("AUDIO=\"audio\"") }
            if let average = stream.averageBandwidth { attributes.append("AVERAGE-BANDWIDTH=\(average)") }
            streamLines.append("#EXT-X-STREAM-INF:" + attributes.joined(separator: ","))
            streamLines.append(stream.uri)
        }
        return (["#EXTM3U", "#EXT-X-VERSION:3", ""] + media + [""] + streamLines).joined(separator: "\n") + "\n"
    }
}
