import Foundation
import PeerTubeClient
import Logging
import Transcoding

/// Tells the instance how each held job ended: its result (`/success`, files checked first), its
/// `/error`, or `/abort` to give it back; counts it, logs it and takes it out of the journal.
struct JobReporter: Sendable {
    let statistics: RunnerStatistics
    let journal: HeldJournal
    let logger: Logger

    /// The order PeerTube publishes best in (runner-protocol.md §12): the storyboard, the
    /// optimize file (its success releases the rest) and the web videos, then the top HLS rung,
    /// which publishes the video, and with split audio the audio rung it needs; then the lower
    /// rungs and the podcast audio.
    static func postingOrder(_ members: [VideoBatch.Member]) -> [VideoBatch.Member] {
        let topHLS = members.filter { $0.job.kind == .hls }.map(\.job.resolution).max() ?? 0
        func rank(_ job: RunnerJob) -> (Int, Int) {
            switch job.kind {
            // First: the siblings the optimize file releases must not find files still in use.
            case .storyboard: (-1, 0)
            case .audioMerge: (0, 0)
            case .webVideo where job.resolution > 0: (0, -job.resolution)
            case .hls where job.resolution == topHLS: (1, 0)
            case .hls where job.resolution == 0: (2, 0)
            case .hls: (3, -job.resolution)
            case .webVideo: (4, 0)
            case .studio, .live: (5, 0)
            }
        }
        return members.sorted { rank($0.job) < rank($1.job) }
    }

    /// Posts one job's result, or its `/error`; true when the result was accepted.
    @discardableResult
    func post(_ member: VideoBatch.Member, from result: TranscodeResult, seconds: Double, duration: Double) async -> Bool {
        await post(member, seconds: seconds, duration: duration) { try JobOutputs.files(for: member.job, in: result) }
    }

    /// Posts the files `pick` gives (checked there), or the `/error` it throws; true when the result was accepted.
    @discardableResult
    func post(_ member: VideoBatch.Member, seconds: Double, duration: Double, files pick: () throws -> [UploadFile]) async -> Bool {
        defer { journal.remove(member.held) }
        let api = RunnerAPI(instance: member.held.instance)
        let metadata: Logger.Metadata = ["job": "\(member.job.uuid)", "type": "\(member.job.kind.rawValue)", "resolution": "\(member.job.resolution)"]
        do {
            let files = try pick()
            try await api.success(member.held, files: files)
            statistics.finished(member.job.kind, outcome: "success", seconds: seconds, mediaSeconds: duration,
                                bytesUp: files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path.path)[.size] as? Int) ?? 0) })
            logger.info("job done", metadata: metadata)
            return true
        } catch let failure as JobFailure {
            await report(member, message: failure.description)
        } catch let error as InstanceError where error.status == 404 {
            statistics.finished(member.job.kind, outcome: "lost", seconds: seconds, mediaSeconds: 0, bytesUp: 0)
            logger.warning("job taken away before its result was posted", metadata: metadata)
        } catch {
            await report(member, message: "cannot post the result: \(error)")
        }
        return false
    }

    /// Tells the instance how a live ended: `/success` when its stream ended, `/error` with the
    /// reason when it broke, `/abort` when the runner stops (PeerTube ends a live either way).
    func end(_ member: VideoBatch.Member, live ending: LiveRelay.Ending, seconds: Double, bytesUp: Int) async {
        defer { journal.remove(member.held) }
        let api = RunnerAPI(instance: member.held.instance)
        let metadata: Logger.Metadata = ["job": "\(member.job.uuid)", "type": "\(member.job.kind.rawValue)"]
        switch ending {
        case .streamEnded:
            do {
                try await api.liveEnded(member.held)
                statistics.finished(.live, outcome: "success", seconds: seconds, mediaSeconds: seconds, bytesUp: bytesUp)
                logger.info("live ended", metadata: metadata)
            } catch {
                statistics.finished(.live, outcome: "lost", seconds: seconds, mediaSeconds: seconds, bytesUp: bytesUp)
                logger.warning("live ended but its success was not taken", metadata: metadata.merging(["reason": "\(error)"]) { $1 })
            }
        case .stoppedByInstance:
            statistics.finished(.live, outcome: "lost", seconds: seconds, mediaSeconds: seconds, bytesUp: bytesUp)
        case .runnerStopping:
            await giveBack(member, reason: "Runner stopped")
        case .failed(let reason):
            await report(member, message: reason)
        }
    }

    /// Gives the job back to the instance, uncharged (the runner stops, or its machine failed).
    func giveBack(_ member: VideoBatch.Member, reason: String) async {
        try? await RunnerAPI(instance: member.held.instance).abort(member.held, reason: String(reason.prefix(5000)))
        statistics.finished(member.job.kind, outcome: "aborted", seconds: 0, mediaSeconds: 0, bytesUp: 0)
        logger.info("job given back", metadata: ["job": "\(member.job.uuid)"])
    }

    /// `/error` with the first line of `message`, which PeerTube's admin shows.
    func report(_ member: VideoBatch.Member, message: String) async {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        try? await RunnerAPI(instance: member.held.instance).error(member.held, message: line)
        statistics.finished(member.job.kind, outcome: "error", seconds: 0, mediaSeconds: 0, bytesUp: 0)
        logger.error("job failed", metadata: ["job": "\(member.job.uuid)", "reason": "\(line)"])
    }
}
