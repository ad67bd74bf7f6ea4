import Foundation
import Ladder
import LibAV
import Packaging
import Testing
@testable import Transcoding

@Suite(.serialized) struct PackageExtrasTests {
    func decodePicture(_ url: URL) throws -> (width: Int, height: Int, spread: Double) {
        let demuxer = try Demuxer(path: url.path)
        let decoder = try demuxer.makeDecoder(stream: 0, threads: 1)
        guard let packet = try demuxer.readPacket() else { throw CocoaError(.fileReadCorruptFile) }
        _ = try decoder.send(packet)
        try decoder.sendEndOfStream()
        guard let frame = try decoder.receive() else { throw CocoaError(.fileReadCorruptFile) }
        return (frame.width, frame.height, frame.lumaSpread ?? 0)
    }

    @Test func packagesCarryTorrentsImagesAndAStoryboard() throws {
        let source = try TestMedia.make("thirty.mp4", TestMedia.testPattern(size: "640x360", seconds: 30))
        let output = try TestMedia.outputFolder()
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(
            pipeline: PipelineCatalog.builtIn("small")!, outputDirectory: output, baseURL: "https://tube.example.org/"))
        let folder = URL(fileURLWithPath: result.directory)
        let manifest = try PackageManifest.decode(Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        #expect(manifest.seeding.webSeeds && manifest.seeding.trackers.count == 2)
        for rendition in manifest.renditions {
            let torrentFile = try #require(rendition.torrent)
            #expect(torrentFile == rendition.file.replacingOccurrences(of: "-fragmented.mp4", with: "-hls.torrent"))
            let decoded = try Bencode.decode(Array(Data(contentsOf: folder.appendingPathComponent(torrentFile))))
            #expect(decoded["url-list"] == .list([.string("https://tube.example.org/static/streaming-playlists/hls/\(result.videoUUID)/\(rendition.file)")]))
            // PeerTube's name, from the source's file name (it has no title tag).
            let name = "thirty \(rendition.resolution)p.mp4"
            #expect(decoded["info"]?["name"] == .string(name))
            let torrent = try Torrent.make(file: folder.appendingPathComponent(rendition.file), name: name, webSeeds: [], trackers: [])
            #expect(rendition.infoHash == torrent.infoHash)  // pieces and length recomputed from the file
            #expect(rendition.magnet?.contains("xt=urn:btih:\(torrent.infoHash)&dn=thirty&") == true)
        }
        let images = try #require(manifest.images)
        let preview = try decodePicture(folder.appendingPathComponent(images.preview))
        let thumbnail = try decodePicture(folder.appendingPathComponent(images.thumbnail))
        #expect(preview.width == 850 && preview.height == 480 && preview.spread > 10)
        #expect(thumbnail.width == 280 && thumbnail.height == 157 && thumbnail.spread > 10)
        let storyboard = try #require(manifest.storyboard)
        let sheet = try decodePicture(folder.appendingPathComponent(storyboard.image))
        #expect(sheet.width == storyboard.layout.totalWidth && sheet.height == storyboard.layout.totalHeight)
        #expect(storyboard.layout.columns == 10 && storyboard.layout.rows == 3 && storyboard.layout.spriteHeight == 108)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(storyboard.json))) as? [String: Any])
        #expect(json["totalWidth"] as? Int == sheet.width && json["spriteDuration"] as? Int == 1)
    }

    /// A title tag names the video (and so its torrents) before the file name does.
    @Test func theSourcesTitleNamesItsTorrents() throws {
        let source = try TestMedia.make("titled.mp4", TestMedia.testPattern(size: "320x240", seconds: 2,
                                                                            extra: ["-metadata", "title=Holiday: day 1"]))
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(
            pipeline: PipelineCatalog.builtIn("small")!, outputDirectory: try TestMedia.outputFolder(), videoName: "ignored.mp4"))
        let folder = URL(fileURLWithPath: result.directory)
        let manifest = try PackageManifest.decode(Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        let rendition = try #require(manifest.renditions.first)
        let decoded = try Bencode.decode(Array(Data(contentsOf: folder.appendingPathComponent(try #require(rendition.torrent)))))
        #expect(decoded["info"]?["name"] == .string("Holiday- day 1 240p.mp4"))
    }

    @Test func aBlackMiddleStillGivesARealThumbnail() throws {
        // Black from 2 s to 8 s: the middle of the video is blank.
        let source = try TestMedia.make("black-middle.mp4", TestMedia.testPattern(size: "320x240", seconds: 10, audio: false,
            extra: ["-vf", "drawbox=c=black:t=fill:enable='between(t,2,8)'"]))
        let output = try TestMedia.outputFolder()
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: PipelineCatalog.builtIn("small")!,
                                                                                     outputDirectory: output))
        let folder = URL(fileURLWithPath: result.directory)
        let manifest = try PackageManifest.decode(Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        #expect(!manifest.seeding.webSeeds && manifest.seeding.trackers.isEmpty)
        let preview = try decodePicture(folder.appendingPathComponent(try #require(manifest.images).preview))
        #expect(preview.spread > 10)
    }

    @Test func twoSecondVideosHaveNoStoryboard() throws {
        let source = try TestMedia.make("two.mp4", TestMedia.testPattern(size: "320x240", seconds: 2, audio: false))
        let result = try Transcoder.transcode(file: source, options: TranscodeOptions(pipeline: PipelineCatalog.builtIn("small")!,
                                                                                     outputDirectory: try TestMedia.outputFolder()))
        let manifest = try PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: result.directory).appendingPathComponent("manifest.json")))
        #expect(manifest.storyboard == nil && manifest.images != nil)
    }
}
