import Foundation
import Ladder
import LibAV
import Packaging

/// Transcodes a PeerTube live (`live-rtmp-hls-transcoding`): pulls the RTMP stream, decodes it
/// once, makes every asked resolution through its own scale and encode, cuts MPEG-TS chunks on a
/// grid shared by all of them, and reports each chunk the moment it is whole. Returns when the
/// stream ends; throws when it cannot be pulled, breaks, or sends nothing for `readTimeout`.
public enum LiveTranscoder {
    /// What errors name instead of the URL, which carries the stream key.
    public static let sourceName = "the live stream"

    public static func run(_ options: LiveOptions, cancellation: CancellationFlag,
                           report: @escaping (TranscodeProgress) -> Void) throws(TranscodeError) {
        FFmpegLog.capture()
        let demuxer: Demuxer
        do {
            demuxer = try Demuxer(liveStream: options.url, readTimeout: options.readTimeout)
        } catch {
            throw TranscodeError(.badInput, file: sourceName, reason: "cannot pull the live stream (\(error.message))",
                                 logTail: FFmpegLog.recentLines())
        }
        let session = LiveSession(demuxer: demuxer, options: options) { chunk in
            report(TranscodeProgress(stage: .encoding, fraction: 0, chunk: chunk))
        }
        do {
            try session.run(cancellation: cancellation)
        } catch let error as TranscodeError {
            throw error
        } catch let error as FFmpegError {
            if error.isTimedOut {
                throw TranscodeError(.stalled, file: sourceName,
                                     reason: "the live stream sent nothing for \(Int(options.readTimeout)) s")
            }
            throw TranscodeError(error.isNoSpace ? .noSpace : .badInput, file: sourceName,
                                 reason: "the live stream broke (\(error.message))", logTail: FFmpegLog.recentLines())
        } catch {
            throw TranscodeError(.internalFailure, file: sourceName, reason: "\(error)")
        }
    }
}
