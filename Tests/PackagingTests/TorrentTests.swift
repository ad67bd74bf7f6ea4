import Crypto
import Foundation
import Testing
@testable import Packaging

@Suite struct TorrentTests {
    @Test func bencodeSortsKeysAndRoundTrips() throws {
        let value = Bencode.dictionary(["b": .integer(-3), "a": .list([.string("x"), .bytes([0, 255])]), "cc": .string("")])
        let bytes = value.encoded()
        #expect(String(decoding: bytes.filter { $0 < 128 && $0 != 0 }, as: UTF8.self).hasPrefix("d1:al1:x2:"))
        #expect(try Bencode.decode(bytes) == value)
        #expect(throws: BencodeError.self) { try Bencode.decode(Array("i12".utf8)) }
        #expect(throws: BencodeError.self) { try Bencode.decode(Array("i1ei2e".utf8)) }
    }

    @Test(arguments: [
        (Int64(1), 16384), (Int64(100_000), 16384), (Int64(100_000_000), 131_072), (Int64(1 << 30), 1 << 20),
        (Int64(20) << 30, 4 << 20),
    ])
    func pieceLengthFollowsCreateTorrent(size: Int64, expected: Int) {
        #expect(Torrent.pieceLength(forSize: size) == expected)
    }

    /// PeerTube's `<video name> <res>p.mp4`, with the characters it replaces in the name.
    @Test func theInfoNameIsTheVideosNameAndResolution() throws {
        #expect(Torrent.infoName(videoName: "Holiday", resolution: 720) == "Holiday 720p.mp4")
        #expect(Torrent.infoName(videoName: "a/b\\c?d%e*f:g|h\"i<j>k", resolution: 0) == "a-b-c-d-e-f-g-h-i-j-k 0p.mp4")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID())-fragmented.mp4")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(repeating: 7, count: 1000).write(to: url)
        let torrent = try Torrent.make(file: url, name: "Holiday 720p.mp4", webSeeds: [], trackers: [])
        #expect(torrent.magnet(torrentURL: nil, displayName: "Holiday").contains("&dn=Holiday"))
        #expect(torrent.magnet(torrentURL: nil).contains("&dn=Holiday%20720p.mp4"))
    }

    @Test func aTorrentDecodesVerifiesAndMatchesItsMagnet() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID())-720-fragmented.mp4")
        defer { try? FileManager.default.removeItem(at: url) }
        let data = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try data.write(to: url)
        let seed = "https://tube.example.org/static/streaming-playlists/hls/v/\(url.lastPathComponent)"
        let torrent = try Torrent.make(file: url, name: url.lastPathComponent, webSeeds: [seed],
                                       trackers: Torrent.trackers(forInstance: "https://tube.example.org"))
        let decoded = try Bencode.decode(torrent.encoded())
        guard case .integer(let pieceLength) = decoded["info"]?["piece length"],
              case .bytes(let pieces) = decoded["info"]?["pieces"],
              case .integer(let length) = decoded["info"]?["length"] else {
            Issue.record("info dictionary incomplete")
            return
        }
        #expect(length == 200_000 && pieceLength == 16384)
        #expect(pieces.count == 20 * 13)
        for index in 0..<13 {
            let start = index * Int(pieceLength)
            let piece = data[start..<min(start + Int(pieceLength), data.count)]
            #expect(Array(Insecure.SHA1.hash(data: piece)) == Array(pieces[index * 20..<index * 20 + 20]))
        }
        let infoHash = Insecure.SHA1.hash(data: decoded["info"]!.encoded()).map { String(format: "%02x", $0) }.joined()
        #expect(torrent.infoHash == infoHash)
        #expect(torrent.magnet(torrentURL: nil).contains("xt=urn:btih:\(infoHash)"))
        #expect(decoded["url-list"] == .list([.string(seed)]))
        #expect(decoded["announce"] == .string("wss://tube.example.org/tracker/socket"))
        #expect(decoded["announce-list"] == .list([.list([.string("wss://tube.example.org/tracker/socket")]),
                                                   .list([.string("https://tube.example.org/tracker/announce")])]))
        #expect(decoded["created by"] == .string("Sluice"))
    }

    @Test func withoutAnInstanceThereAreNoSeedsOrTrackers() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID()).mp4")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(count: 1000).write(to: url)
        let decoded = try Bencode.decode(try Torrent.make(file: url, name: "plain.mp4", webSeeds: [], trackers: []).encoded())
        #expect(decoded["url-list"] == nil && decoded["announce"] == nil)
        #expect(Torrent.trackers(forInstance: "http://localhost:9000") == ["ws://localhost:9000/tracker/socket", "http://localhost:9000/tracker/announce"])
    }
}

@Suite struct StoryboardTests {
    @Test func shortVideosHaveNone() {
        #expect(Storyboard(duration: 2, width: 1280, height: 720) == nil)
        #expect(Storyboard(duration: 2.99, width: 1280, height: 720) == nil)
    }

    @Test func threeSeconds() throws {
        let layout = try #require(Storyboard(duration: 3, width: 1280, height: 720))
        #expect(layout.spriteWidth == 192 && layout.spriteHeight == 108)
        #expect(layout.spriteDuration == 1 && layout.totalSprites == 3)
        #expect(layout.columns == 3 && layout.rows == 1)
    }

    @Test func thirtySeconds() throws {
        let layout = try #require(Storyboard(duration: 30, width: 1920, height: 1080))
        #expect(layout.spriteDuration == 1 && layout.totalSprites == 30)
        #expect(layout.columns == 10 && layout.rows == 3)
        #expect(layout.totalWidth == 1920 && layout.totalHeight == 324)
    }

    @Test func twoMinutesPortrait() throws {
        let layout = try #require(Storyboard(duration: 120, width: 1080, height: 1920))
        #expect(layout.spriteHeight == 192 && layout.spriteWidth == 108)
        #expect(layout.spriteDuration == 1 && layout.totalSprites == 120)
        #expect(layout.columns == 11 && layout.rows == 11)
    }

    @Test func longVideosUseLongerSprites() throws {
        let layout = try #require(Storyboard(duration: 600, width: 640, height: 480))
        #expect(layout.spriteDuration == 5 && layout.totalSprites == 120)
        #expect(layout.columns * layout.rows >= layout.totalSprites && layout.columns <= 11)
    }

    @Test func jsonAndWebVTTDescribeTheSheet() throws {
        let layout = try #require(Storyboard(duration: 4, width: 200, height: 100))
        #expect(layout.json(fileName: "s.jpg") == #"{"fileName":"s.jpg","storyboardPath":"s.jpg","totalWidth":768,"totalHeight":96,"spriteWidth":192,"spriteHeight":96,"spriteDuration":1}"# + "\n")
        let vtt = layout.webVTT(fileName: "s.jpg", duration: 4)
        #expect(vtt.hasPrefix("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\ns.jpg#xywh=0,0,192,96\n"))
        #expect(vtt.contains("00:00:03.000 --> 00:00:04.000\ns.jpg#xywh=576,0,192,96"))
    }
}
