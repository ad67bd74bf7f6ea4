import Foundation
import Ladder
import Packaging

/// Writes the playlists, the segment hashes, the master playlist and `manifest.json` for the
/// renditions the engine produced.
struct PackageWriter {
    let report: ProbeReport
    let plan: LadderPlan
    let videoUUID: String
    let directory: URL
    let baseURL: String?
    let trackers: [String]
    /// The video's name, which names its torrents (`<name> <res>p.mp4`) and magnets.
    let videoName: String

    func write(_ result: TranscodeEngine.Result) throws -> PackageManifest {
        let renditions = result.renditions
        let names = PackageNames()
        var hashes: [(name: String, ranges: [(key: String, sha256: String)])] = []
        var streams: [MasterPlaylist.Stream] = []
        var entries: [PackageManifest.Rendition] = []
        var audioGroupURI: String?
        let audioCodec = renditions.first { $0.plan == nil }?.output.codecs.first
        for rendition in renditions.sorted(by: { ($0.plan?.resolution ?? 0) < ($1.plan?.resolution ?? 0) }) {
            let output = rendition.output
            let playlist = MediaPlaylist(fileName: rendition.media, initLength: output.initLength, segments: output.segments)
            try Data(playlist.render().utf8).write(to: directory.appendingPathComponent(rendition.playlist))
            let ranges = try SegmentHashes.hash(file: directory.appendingPathComponent(rendition.media), segments: output.segments)
            hashes.append((rendition.media, ranges))
            let peak = Bandwidth.peak(of: output.segments, targetDuration: playlist.targetDuration)
            let average = Bandwidth.average(of: output.segments)
            var codecs = output.codecs
            if rendition.plan != nil, plan.splitAudio, let audioCodec { codecs.append(audioCodec) }
            if let video = rendition.plan {
                streams.append(MasterPlaylist.Stream(bandwidth: peak, averageBandwidth: average, width: video.width,
                                                     height: video.height, frameRate: video.fps, codecs: codecs,
                                                     uri: rendition.playlist, resolution: video.resolution))
            } else if plan.splitAudio {
                audioGroupURI = rendition.playlist
            }
            let seed = try torrent(for: rendition.media, resolution: rendition.plan?.resolution ?? 0)
            entries.append(PackageManifest.Rendition(
                resolution: rendition.plan?.resolution ?? 0, width: rendition.plan?.width, height: rendition.plan?.height,
                fps: rendition.plan?.fps, file: rendition.media, playlist: rendition.playlist, size: output.size,
                bandwidth: peak, averageBandwidth: average, codecs: codecs.joined(separator: ","),
                segments: output.segments.count, duration: output.segments.reduce(0) { $0 + $1.duration },
                torrent: seed.file, infoHash: seed.torrent.infoHash, magnet: seed.magnet, copied: rendition.plan?.copy))
        }
        let master = MasterPlaylist(streams: streams, audioGroupURI: audioGroupURI)
        try Data(master.render().utf8).write(to: directory.appendingPathComponent(names.master))
        try Data(SegmentHashes(files: hashes).render().utf8).write(to: directory.appendingPathComponent(names.segmentHashes))
        let duration = entries.map(\.duration).max() ?? 0
        let video = report.videoStream.map { stream in
            "\(stream.codec) \(stream.displaySize.map { "\($0.width)x\($0.height)" } ?? "?") \(stream.framesPerSecond.map { String(format: "%.3f fps", $0) } ?? "")"
        }
        let audio = report.audioStream.map { "\($0.codec) \($0.sampleRate ?? 0) Hz \($0.channels ?? 0) ch" }
        let manifest = PackageManifest(
            videoUUID: videoUUID, createdBy: "Sluice", createdAt: Date(), tier: plan.pipeline, duration: duration,
            master: names.master, segmentHashes: names.segmentHashes, splitAudio: plan.splitAudio,
            source: .init(file: report.file, size: report.size, container: report.container,
                          duration: report.expectedDuration ?? duration, video: video, audio: audio),
            renditions: entries.sorted { $0.resolution > $1.resolution },
            images: try writeImages(result.images), storyboard: try writeStoryboard(result.images, duration: duration),
            seeding: PackageManifest.Seeding(baseURL: baseURL, trackers: effectiveTrackers))
        try manifest.encoded().write(to: directory.appendingPathComponent(PackageManifest.fileName))
        return manifest
    }

    private var effectiveTrackers: [String] {
        trackers.isEmpty ? baseURL.map(Torrent.trackers(forInstance:)) ?? [] : trackers
    }

    /// `<uuid>-<res>-hls.torrent` beside `<uuid>-<res>-fragmented.mp4`, with the file's public URL as
    /// web seed (a full file URL, so the torrent's name need not be the file's) and PeerTube's name.
    private func torrent(for media: String, resolution: Int) throws -> (file: String, torrent: Torrent, magnet: String) {
        let file = String(media.dropLast("-fragmented.mp4".count)) + "-hls.torrent"
        let webSeeds = baseURL.map { ["\($0)/static/streaming-playlists/hls/\(videoUUID)/\(media)"] } ?? []
        let torrent = try Torrent.make(file: directory.appendingPathComponent(media),
                                       name: Torrent.infoName(videoName: videoName, resolution: resolution),
                                       webSeeds: webSeeds, trackers: effectiveTrackers)
        try Data(torrent.encoded()).write(to: directory.appendingPathComponent(file))
        let torrentURL = baseURL.map { "\($0)/lazy-static/torrents/\(file)" }
        return (file, torrent, torrent.magnet(torrentURL: torrentURL, displayName: videoName))
    }

    private func writeImages(_ images: ImageStage.Output?) throws -> PackageManifest.Images? {
        guard let images, !images.preview.isEmpty, !images.thumbnail.isEmpty else { return nil }
        let preview = "\(UUID().uuidString.lowercased())-preview.jpg"
        let thumbnail = "\(UUID().uuidString.lowercased())-thumbnail.jpg"
        try Data(images.preview).write(to: directory.appendingPathComponent(preview))
        try Data(images.thumbnail).write(to: directory.appendingPathComponent(thumbnail))
        return PackageManifest.Images(preview: preview, thumbnail: thumbnail)
    }

    private func writeStoryboard(_ images: ImageStage.Output?, duration: Double) throws -> PackageManifest.StoryboardFiles? {
        guard let storyboard = images?.storyboard else { return nil }
        let stem = "\(UUID().uuidString.lowercased())-storyboard"
        let files = PackageManifest.StoryboardFiles(image: stem + ".jpg", json: stem + ".json", vtt: stem + ".vtt",
                                                    layout: storyboard.layout)
        try Data(storyboard.jpeg).write(to: directory.appendingPathComponent(files.image))
        try Data(storyboard.layout.json(fileName: files.image).utf8).write(to: directory.appendingPathComponent(files.json))
        try Data(storyboard.layout.webVTT(fileName: files.image, duration: duration).utf8)
            .write(to: directory.appendingPathComponent(files.vtt))
        return files
    }
}
