import Foundation
import Logging
import Ladder
import Packaging
import PeerTubeClient

/// Sends a live's chunks in the order they come, each with its playlist cut after it: a chunk
/// always reaches the instance before any playlist that lists it, and the master only once every
/// playlist exists. A chunk sent is removed here (the instance keeps it); one that leaves the
/// window is removed there too.
struct LiveSender {
    let member: VideoBatch.Member
    let folder: URL
    let logger: Logger
    private var playlists: LivePlaylists
    private let api: RunnerAPI
    /// The instance stopped the live: nothing more is sent.
    private(set) var stopped = false
    private(set) var bytesUp = 0

    init(member: VideoBatch.Member, folder: URL, request: LiveRequest, logger: Logger) {
        self.member = member
        self.folder = folder
        self.logger = logger
        api = RunnerAPI(instance: member.held.instance)
        playlists = LivePlaylists(windowSize: request.segmentListSize, segmentDuration: request.segmentDuration,
                                  variantCount: 0)
    }

    mutating func send(_ chunk: LiveChunk) async {
        let removed = playlists.add(chunk)
        let chunkFile = folder.appendingPathComponent(chunk.name)
        do {
            let playlist = folder.appendingPathComponent(chunk.variant.playlistName)
            try Data(playlists.mediaPlaylist(variant: chunk.variant.index).utf8).write(to: playlist)
            let master = folder.appendingPathComponent("master.m3u8")
            try Data(playlists.master().utf8).write(to: master)
            bytesUp += (try? FileManager.default.attributesOfItem(atPath: chunkFile.path)[.size] as? Int) ?? 0
            try await api.liveUpdate(member.held, .addChunk(chunk: chunkFile, name: chunk.name, playlist: playlist,
                                                            playlistName: chunk.variant.playlistName,
                                                            master: playlists.allCreated ? master : nil))
            for old in removed { try await api.liveUpdate(member.held, .removeChunk(name: old.name)) }
        } catch let error as InstanceError where error.code == "runner_job_not_in_processing_state" || error.status == 404 {
            logger.info("the instance stopped the live", metadata: ["job": "\(member.job.uuid)", "reason": "\(error)"])
            stopped = true
        } catch {
            // A chunk the instance could not take is a gap in the live, not its end; PeerTube ends
            // a live that hears nothing for 30 s by itself.
            logger.warning("a live chunk was not sent", metadata: ["job": "\(member.job.uuid)", "chunk": "\(chunk.name)",
                                                                   "reason": "\(error)"])
        }
        try? FileManager.default.removeItem(at: chunkFile)
    }
}
