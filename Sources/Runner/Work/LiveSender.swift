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
    /// The instance stopped the live (or could not be reached for ``patience``): nothing more is sent.
    private(set) var stopped = false
    /// The live was given up because the instance could not be reached.
    private(set) var unreachable = false
    private(set) var bytesUp = 0

    init(member: VideoBatch.Member, folder: URL, request: LiveRequest, logger: Logger) {
        self.member = member
        self.folder = folder
        self.logger = logger
        api = RunnerAPI(instance: member.held.instance)
        playlists = LivePlaylists(windowSize: request.segmentListSize, segmentDuration: request.segmentDuration,
                                  variantCount: 0)
    }

    /// Seconds a chunk may keep failing (the instance down or refusing) before the live is
    /// given up: PeerTube itself ends a live it hears nothing from for 30 s.
    static let patience: TimeInterval = 60

    mutating func send(_ chunk: LiveChunk) async {
        let removed = playlists.add(chunk)
        let chunkFile = folder.appendingPathComponent(chunk.name)
        defer { try? FileManager.default.removeItem(at: chunkFile) }
        let playlist = folder.appendingPathComponent(chunk.variant.playlistName)
        let master = folder.appendingPathComponent("master.m3u8")
        do {
            try Data(playlists.mediaPlaylist(variant: chunk.variant.index).utf8).write(to: playlist)
            try Data(playlists.master().utf8).write(to: master)
        } catch {
            logger.warning("cannot write a live playlist", metadata: ["job": "\(member.job.uuid)", "reason": "\(error)"])
            return
        }
        bytesUp += (try? FileManager.default.attributesOfItem(atPath: chunkFile.path)[.size] as? Int) ?? 0
        let chunkUpdate = RunnerAPI.LiveUpdate.addChunk(chunk: chunkFile, name: chunk.name, playlist: playlist,
                                                        playlistName: chunk.variant.playlistName,
                                                        master: playlists.allCreated ? master : nil)
        guard await deliver(chunkUpdate, naming: chunk.name) else { return }
        for old in removed where !stopped { _ = await deliver(.removeChunk(name: old.name), naming: old.name) }
    }

    /// Sends one update until the instance takes it: an outage delays the chunks (they wait, in
    /// order, and none is lost) rather than leaving holes in the playlists. False when the live
    /// is over for the instance (it stopped it, or refused every try for ``patience`` seconds).
    private mutating func deliver(_ update: RunnerAPI.LiveUpdate, naming name: String) async -> Bool {
        let started = Date()
        var pause = 0.25
        var warned = false
        while !Task.isCancelled {
            do {
                try await api.liveUpdate(member.held, update)
                return true
            } catch let error as InstanceError where error.code == "runner_job_not_in_processing_state" || error.status == 404 {
                logger.info("the instance stopped the live", metadata: ["job": "\(member.job.uuid)", "reason": "\(error)"])
                stopped = true
                return false
            } catch {
                if Date().timeIntervalSince(started) > Self.patience {
                    logger.error("the instance took no live chunk for a minute: ending the live",
                                 metadata: ["job": "\(member.job.uuid)", "reason": "\(error)"])
                    stopped = true
                    unreachable = true
                    return false
                }
                if !warned {
                    logger.warning("a live chunk waits for the instance", metadata: ["job": "\(member.job.uuid)", "chunk": "\(name)",
                                                                                     "reason": "\(error)"])
                    warned = true
                }
                try? await Task.sleep(for: .seconds(pause))
                pause = min(pause * 2, 2)
            }
        }
        return false
    }
}
