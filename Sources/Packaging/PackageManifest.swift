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
    public var images: Images?
    public var storyboard: StoryboardFiles?
    public var seeding: Seeding

    /// `<uuid>-preview.jpg` (850x480) and `<uuid>-thumbnail.jpg` (280x157).
    public struct Images: Sendable, Equatable, Codable {
        public var preview: String
        public var thumbnail: String

        public init(preview: String, thumbnail: String) {
            self.preview = preview
            self.thumbnail = thumbnail
        }
    }

    /// The sprite sheet, its PeerTube-style JSON and a WebVTT thumbnails track.
    public struct StoryboardFiles: Sendable, Equatable, Codable {
        public var image: String
        public var json: String
        public var vtt: String
        public var layout: Storyboard

        public init(image: String, json: String, vtt: String, layout: Storyboard) {
            self.image = image
            self.json = json
            self.vtt = vtt
            self.layout = layout
        }
    }

    /// How the torrents can be found: web seeds and trackers exist only with an instance URL.
    public struct Seeding: Sendable, Equatable, Codable {
        public var baseURL: String?
        public var trackers: [String]
        public var webSeeds: Bool
        public var note: String

        public init(baseURL: String?, trackers: [String]) {
            self.baseURL = baseURL
            self.trackers = trackers
            webSeeds = baseURL != nil
            note = baseURL == nil
                ? "no --base-url: torrents have no web seed and no trackers; magnets carry the info hash only"
                : "web seeds point at \(baseURL ?? "")/static/streaming-playlists/hls/<videoUUID>/<file>"
        }
    }

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
        /// `<uuid>-<res>-hls.torrent`, its info hash and magnet URI.
        public var torrent: String?
        public var infoHash: String?
        public var magnet: String?
        /// The video is the source's own, stream-copied (nil for audio-only).
        public var copied: Bool?

        public init(resolution: Int, width: Int?, height: Int?, fps: Int?, file: String, playlist: String, size: Int64,
                    bandwidth: Int, averageBandwidth: Int, codecs: String, segments: Int, duration: Double,
                    torrent: String? = nil, infoHash: String? = nil, magnet: String? = nil, copied: Bool? = nil) {
            self.copied = copied
            self.torrent = torrent
            self.infoHash = infoHash
            self.magnet = magnet
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
                segmentHashes: String, splitAudio: Bool, source: SourceInfo, renditions: [Rendition], images: Images? = nil,
                storyboard: StoryboardFiles? = nil, seeding: Seeding = Seeding(baseURL: nil, trackers: [])) {
        self.images = images
        self.storyboard = storyboard
        self.seeding = seeding
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
        try JSONEncoder.readable().encode(self)
    }

    public static func decode(_ data: Data) throws -> PackageManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(PackageManifest.self, from: data)
    }
}
