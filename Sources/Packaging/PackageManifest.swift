import Foundation

/// `manifest.json`: what a package holds, for deployment tools and for `sluice` itself.
public struct PackageManifest: Sendable, Equatable, Codable {
    public var videoUUID: String
    public var createdBy: String
    public var createdAt: Date
    public var tier: String
    public var duration: Double
    public var master: String
    public var segmentHashes: String
    public var splitAudio: Bool
    public var source: SourceInfo
    public var renditions: [Rendition]

    public struct SourceInfo: Sendable, Equatable, Codable {
        public var file: String
        public var size: Int64?
        public var container: String
        public var duration: Double
        public var video: String?
        public var audio: String?

        public init(file: String, size: Int64?, container: String, duration: Double, video: String?, audio: String?) {
            self.file = file
            self.size = size
            self.container = container
            self.duration = duration
            self.video = video
            self.audio = audio
        }
    }

    public struct Rendition: Sendable, Equatable, Codable {
        public var resolution: Int
        public var width: Int?
        public var height: Int?
        public var fps: Int?
        public var file: String
        public var playlist: String
        public var size: Int64
        public var bandwidth: Int
        public var averageBandwidth: Int
        public var codecs: String
        public var segments: Int
        public var duration: Double

        public init(resolution: Int, width: Int?, height: Int?, fps: Int?, file: String, playlist: String, size: Int64,
                    bandwidth: Int, averageBandwidth: Int, codecs: String, segments: Int, duration: Double) {
            self.resolution = resolution
            self.width = width
            self.height = height
            self.fps = fps
            self.file = file
            self.playlist = playlist
            self.size = size
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.codecs = codecs
            self.segments = segments
            self.duration = duration
        }
    }

    public init(videoUUID: String, createdBy: String, createdAt: Date, tier: String, duration: Double, master: String,
                segmentHashes: String, splitAudio: Bool, source: SourceInfo, renditions: [Rendition]) {
        self.videoUUID = videoUUID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.tier = tier
        self.duration = duration
        self.master = master
        self.segmentHashes = segmentHashes
        self.splitAudio = splitAudio
        self.source = source
        self.renditions = renditions
    }

    public static let fileName = "manifest.json"

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> PackageManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(PackageManifest.self, from: data)
    }
}
