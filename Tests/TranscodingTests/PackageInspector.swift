import Foundation
import LibAV
import Packaging
import Testing

/// Reads a published package back the way a player would and checks PeerTube's rules.
struct PackageInspector {
    struct Rendition {
        var resolution: Int
        var playlist: String
        var media: String
        var segments: [Segment]
        var initLength: Int64
        var streams: [StreamInfo]
        var duration: Double?
        /// Presentation times (seconds) of video keyframes.
        var keyframes: [Double]
        /// The manifest says the video is the source's own packets.
        var copied: Bool
    }

    let directory: URL
    var master = ""
    var renditions: [Rendition] = []
    let manifest: PackageManifest

    init(_ directory: String) throws {
        self.directory = URL(fileURLWithPath: directory)
        manifest = try PackageManifest.decode(Data(contentsOf: self.directory.appendingPathComponent(PackageManifest.fileName)))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        let masterName = try #require(names.first { $0.hasSuffix("-master.m3u8") })
        master = try String(contentsOf: self.directory.appendingPathComponent(masterName), encoding: .utf8)
        let playlists = master.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".m3u8") }
            + master.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("#EXT-X-MEDIA:"), let range = line.range(of: #"URI="([^"]+)""#, options: .regularExpression) else { return nil }
                return String(line[range].dropFirst(5).dropLast())
            }
        for playlist in playlists {
            renditions.append(try readRendition(playlist))
        }
    }

    private func readRendition(_ playlist: String) throws -> Rendition {
        let text = try String(contentsOf: directory.appendingPathComponent(playlist), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "#EXTM3U")
        #expect(lines.contains("#EXT-X-VERSION:7"))
        #expect(lines.last == "#EXT-X-ENDLIST")
        let media = String(playlist.dropLast(".m3u8".count)) + "-fragmented.mp4"
        let map = try #require(lines.first { $0.hasPrefix("#EXT-X-MAP:") })
        #expect(map.hasPrefix("#EXT-X-MAP:URI=\"\(media)\",BYTERANGE=\""))
        let initLength = Int64(map.split(separator: "\"")[3].split(separator: "@")[0]) ?? -1
        var segments: [Segment] = []
        var duration = 0.0
        for line in lines {
            if line.hasPrefix("#EXTINF:") { duration = Double(line.dropFirst(8).dropLast()) ?? -1 }
            if line.hasPrefix("#EXT-X-BYTERANGE:") {
                let parts = line.dropFirst(17).split(separator: "@")
                segments.append(Segment(duration: duration, offset: Int64(parts[1]) ?? -1, length: Int64(parts[0]) ?? -1))
            }
        }
        let resolution = Int(playlist.split(separator: "-").last?.dropLast(5) ?? "") ?? -1
        let demuxer = try Demuxer(path: directory.appendingPathComponent(media).path)
        var keyframes: [Double] = []
        if let video = demuxer.streams.first(where: { $0.kind == .video }), let base = video.timeBase.doubleValue {
            while let packet = try demuxer.readPacket() {
                if packet.streamIndex == video.index, packet.isKeyframe, let pts = packet.pts { keyframes.append(Double(pts) * base) }
            }
        }
        let copied = manifest.renditions.first { $0.file == media }?.copied ?? false
        return Rendition(resolution: resolution, playlist: playlist, media: media, segments: segments, initLength: initLength,
                         streams: demuxer.streams, duration: demuxer.duration, keyframes: keyframes.sorted(), copied: copied)
    }

    /// Byte ranges tile the file after the init segment; the sha256 JSON matches the bytes.
    func checkBytesAndHashes() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let hashName = try #require(names.first { $0.hasSuffix("-segments-sha256.json") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(hashName))) as? [String: [String: String]])
        #expect(Set(json.keys) == Set(renditions.map(\.media)))
        for rendition in renditions {
            var position = rendition.initLength
            for segment in rendition.segments {
                #expect(segment.offset == position)
                position = segment.offset + segment.length
            }
            let size = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(rendition.media).path)[.size] as? NSNumber
            #expect(Int64(size?.int64Value ?? -1) == position)
            let hashes = try SegmentHashes.hash(file: directory.appendingPathComponent(rendition.media), segments: rendition.segments)
            for (key, sha) in hashes {
                #expect(json[rendition.media]?[key] == sha)
            }
        }
    }

    /// RFC 8216 6.2.4: identical segment boundaries in every video rendition, each on a keyframe;
    /// a keyframe at least every 2 s in encoded renditions (a copied one keeps the source's, up to 10 s).
    func checkAlignment() {
        let video = renditions.filter { $0.resolution > 0 }
        guard let reference = video.first else { return }
        for rendition in video {
            for (segment, expected) in zip(rendition.segments.dropLast(), reference.segments.dropLast()) {
                #expect(abs(segment.duration - expected.duration) < 0.021, "\(rendition.resolution)p segment durations")
            }
            #expect(rendition.segments.count == reference.segments.count)
            let first = rendition.keyframes.first ?? 0
            var start = first
            for segment in rendition.segments {
                #expect(rendition.keyframes.contains { abs($0 - start) < 0.002 }, "segment at \(start)s of \(rendition.resolution)p starts on a keyframe")
                start += segment.duration
            }
            let gaps = zip(rendition.keyframes, rendition.keyframes.dropFirst()).map { $1 - $0 }
            #expect((gaps.max() ?? 0) <= (rendition.copied ? 10.05 : 2.05), "keyframe gaps of \(rendition.resolution)p")
        }
    }
}
