import Foundation
import Jobs
import Logging
import Packaging
import PeerTubeClient
import Transcoding

/// Runs one live job: the live transcoder in a child process for the stream's whole length, and
/// each chunk sent to the instance the moment it is whole, with its playlist cut after it and,
/// once every playlist exists, the master (runner-live-and-studio.md §1.2-1.3). Chunks that leave
/// the playlists' window are removed on the instance. The chunk updates are the job's heartbeat.
struct LiveRelay: Sendable {
    /// How a live ended, for `/success`, `/error` or nothing more to say.
    enum Ending: Sendable, Equatable {
        /// The stream ended: `/success`.
        case streamEnded
        /// The instance stopped the live (not processing any more, or gone): nothing to post.
        case stoppedByInstance
        /// The runner is stopping: the live is given back (for a live, PeerTube ends it).
        case runnerStopping
        /// The input broke or stalled: `/error` with the reason.
        case failed(String)
    }

    let member: VideoBatch.Member
    let folder: URL
    let runner: any TranscodeRunner
    let readTimeout: TimeInterval
    let logger: Logger

    /// Transcodes and relays until the stream ends; `onChunk` hears of each chunk sent (the stall watchdog).
    func run(cancellation: CancellationFlag, onChunk: @escaping @Sendable (TranscodeProgress) -> Void) async -> (ending: Ending, bytesUp: Int) {
        guard let request = member.job.live else { return (.failed("the live job asks for nothing"), 0) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let options = LiveOptions(url: member.job.inputURL, request: request, outputDirectory: folder.path, readTimeout: readTimeout)
        let (chunks, continuation) = AsyncStream<TranscodeProgress>.makeStream()
        let runner = self.runner
        let transcoding = Task {
            defer { continuation.finish() }
            try await runner.live(options, cancellation: cancellation) { progress in
                if progress.chunk != nil { continuation.yield(progress) }
            }
        }
        var sender = LiveSender(member: member, folder: folder, request: request, logger: logger)
        for await progress in chunks {
            guard let chunk = progress.chunk, !sender.stopped else { continue }
            onChunk(progress)
            await sender.send(chunk)
            if sender.stopped { cancellation.cancel() }
        }
        // The child is ended before its folder goes: a stopped live's transcoder was cancelled above.
        if sender.stopped { _ = try? await transcoding.value }
        if sender.unreachable { return (.failed("the instance took no chunk for \(Int(LiveSender.patience)) s"), sender.bytesUp) }
        if sender.stopped { return (.stoppedByInstance, sender.bytesUp) }
        do {
            try await transcoding.value
            return (.streamEnded, sender.bytesUp)
        } catch let error as TranscodeError where error.kind == .cancelled {
            return (.runnerStopping, sender.bytesUp)
        } catch let error as TranscodeError {
            return (.failed(error.reason), sender.bytesUp)
        } catch {
            return (.failed("\(error)"), sender.bytesUp)
        }
    }
}
