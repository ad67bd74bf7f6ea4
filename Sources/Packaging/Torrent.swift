import Crypto
import Foundation

/// A BitTorrent v1 single-file torrent for one fMP4, as PeerTube makes them with npm
/// `create-torrent` (peertube-format.md section 3): piece length by `piece-length`'s rule capped
/// at 4 MiB, the file's public URL as web seed, the instance's WebSocket and HTTP trackers.
public struct Torrent: Sendable, Equatable {
    public var name: String
    public var length: Int64
    public var pieceLength: Int
    /// SHA-1 of every piece, concatenated.
    public var pieces: [UInt8]
    public var webSeeds: [String]
    /// One tier per tracker, WebSocket first, as PeerTube lists them.
    public var trackers: [String]
    public var createdBy: String
    public var creationDate: Int64

    /// create-torrent's default: `max(16 KiB, 2^round(log2(bytes / 1024)))`, at most 4 MiB.
    public static func pieceLength(forSize size: Int64) -> Int {
        guard size > 0 else { return 16384 }
        let exponent = Int((log2(Double(size) / 1024)).rounded())
        let length = exponent <= 0 ? 1 : 1 << min(exponent, 30)
        return min(max(16384, length), 4 << 20)
    }

    /// PeerTube's name for a file's torrent, what a person downloading it sees:
    /// `<video name> <res>p<.ext>`, with any of `/\?%*:|"<>` in the video name turned into `-`
    /// (peertube-format.md section 3).
    public static func infoName(videoName: String, resolution: Int, fileExtension: String = ".mp4") -> String {
        let unsafe = Set("/\\?%*:|\"<>")
        let name = String(videoName.map { unsafe.contains($0) ? "-" : $0 })
        return "\(name) \(resolution)p\(fileExtension)"
    }

    /// Hashes the file at `url` piece by piece.
    public static func make(file url: URL, name: String, webSeeds: [String], trackers: [String],
                            createdBy: String = "Sluice", date: Date = Date()) throws -> Torrent {
        let size = Int64((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0)
        let pieceLength = pieceLength(forSize: size)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var pieces: [UInt8] = []
        while let chunk = try handle.read(upToCount: pieceLength), !chunk.isEmpty {
            pieces += Array(Insecure.SHA1.hash(data: chunk))
        }
        return Torrent(name: name, length: size, pieceLength: pieceLength, pieces: pieces, webSeeds: webSeeds,
                       trackers: trackers, createdBy: createdBy, creationDate: Int64(date.timeIntervalSince1970))
    }

    var info: Bencode {
        .dictionary(["length": .integer(length), "name": .string(name), "piece length": .integer(Int64(pieceLength)),
                     "pieces": .bytes(pieces)])
    }

    public func encoded() -> [UInt8] {
        var root: [String: Bencode] = [
            "info": info, "created by": .string(createdBy), "creation date": .integer(creationDate), "encoding": .string("UTF-8"),
        ]
        if let first = trackers.first {
            root["announce"] = .string(first)
            root["announce-list"] = .list(trackers.map { .list([.string($0)]) })
        }
        if !webSeeds.isEmpty { root["url-list"] = .list(webSeeds.map(Bencode.string)) }
        return Bencode.dictionary(root).encoded()
    }

    /// Lowercase hex SHA-1 of the bencoded info dictionary.
    public var infoHash: String {
        Insecure.SHA1.hash(data: info.encoded()).hexString
    }

    /// `magnet:?xs=<torrent URL>&xt=urn:btih:<hash>&dn=<name>&tr=...&ws=...`, as PeerTube's
    /// `generateMagnetUri`, whose display name is the video's name (the torrent's by default).
    public func magnet(torrentURL: String?, displayName: String? = nil) -> String {
        var parts: [String] = []
        if let torrentURL { parts.append("xs=" + Self.escape(torrentURL)) }
        parts.append("xt=urn:btih:" + infoHash)
        parts.append("dn=" + Self.escape(displayName ?? name))
        parts += trackers.map { "tr=" + Self.escape($0) }
        parts += webSeeds.map { "ws=" + Self.escape($0) }
        return "magnet:?" + parts.joined(separator: "&")
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// PeerTube's trackers for an instance URL: `wss://HOST/tracker/socket` and `https://HOST/tracker/announce`.
    public static func trackers(forInstance baseURL: String) -> [String] {
        guard let url = URL(string: baseURL), let host = url.host else { return [] }
        let secure = url.scheme != "http"
        let authority = host + (url.port.map { ":\($0)" } ?? "")
        return ["\(secure ? "wss" : "ws")://\(authority)/tracker/socket", "\(secure ? "https" : "http")://\(authority)/tracker/announce"]
    }
}
