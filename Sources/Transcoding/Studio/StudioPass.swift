import Foundation
import Ladder
import LibAV

/// The encode half of a studio edit: pulls the graph's picture and sound in time order, encodes
/// them and writes the MP4.
struct StudioPass {
    let graph: StudioGraph
    let sourceBitrate: Int?
    /// The input, named in errors.
    let file: String

    /// Writes the result to `path`; returns the seconds of picture written.
    func run(to path: String, cancellation: CancellationFlag, progress: (TranscodeProgress) -> Void) throws(TranscodeError) -> Double {
        do {
            let filters = try SourceGraph(description: graph.description, audio: graph.hasAudio)
            let video = try Encoder.video(videoSettings)
            let audio = graph.hasAudio ? try Encoder.audio(AudioEncoderSettings(sampleRate: graph.sampleRate, bitRate: 256_000)) : nil
            let writer = try EncodedFileWriter(path: path, container: .progressiveMP4, video: TrackFormat(encoder: video), audio: audio.map(TrackFormat.init(encoder:)))
            var frames: Int64 = 0
            var samples: Int64 = 0
            var lastReport = Date.distantPast
            while !filters.videoDrained || !filters.audioDrained {
                if cancellation.isCancelled { throw TranscodeError(.cancelled, file: file, reason: "cancelled") }
                var moved = false
                if !filters.videoDrained, let frame = try filters.pull(.video) {
                    frame.pts = frames
                    frame.setForcedKeyframe(false)
                    frames += 1
                    try encode(frame, with: video, into: writer, track: .video)
                    moved = true
                }
                // Sound is kept up with the picture: the muxer interleaves what both give.
                while let audio, !filters.audioDrained, filters.videoDrained || Double(samples) / Double(graph.sampleRate) <= Double(frames) / Double(graph.fps) {
                    guard let frame = try filters.pull(.audio) else { break }
                    frame.pts = samples
                    samples += Int64(frame.sampleCount)
                    try encode(frame, with: audio, into: writer, track: .audio)
                    moved = true
                }
                if !moved && !filters.videoDrained && !filters.audioDrained {
                    throw TranscodeError(.internalFailure, file: file, reason: "the edit's filter graph gave nothing more")
                }
                if Date().timeIntervalSince(lastReport) > 0.5 {
                    lastReport = Date()
                    let seconds = Double(frames) / Double(graph.fps)
                    progress(TranscodeProgress(stage: .encoding, fraction: min(1, seconds / max(graph.duration, 0.001)),
                                               duration: graph.duration))
                }
            }
            try drain(video, into: writer, track: .video)
            if let audio { try drain(audio, into: writer, track: .audio) }
            try writer.finish()
            return Double(frames) / Double(graph.fps)
        } catch let error as TranscodeError {
            throw error
        } catch let error as FFmpegError {
            throw TranscodeError(error.isNoSpace ? .noSpace : .badInput, file: file, reason: "the edit failed: \(error.message)",
                                 logTail: FFmpegLog.recentLines())
        } catch {
            throw TranscodeError(.internalFailure, file: file, reason: "\(error)")
        }
    }

    private var videoSettings: VideoEncoderSettings {
        let ratio = Double(graph.width) / Double(max(graph.height, 1))
        let target = BitrateRule.targetBitrate(resolution: min(graph.width, graph.height), ratio: ratio, fps: graph.fps,
                                               sourceBitrate: sourceBitrate)
        return VideoEncoderSettings(width: graph.width, height: graph.height, frameRate: graph.fps, gopSize: 2 * graph.fps,
                                    maxBFrames: 16, maxRate: target, bufferSize: 2 * target,
                                    options: ["preset": "veryfast", "b_strategy": "1"])
    }

    private func encode(_ frame: borrowing Frame, with encoder: Encoder, into writer: EncodedFileWriter,
                        track: FragmentedMP4Writer.Track) throws {
        while try encoder.send(frame) == .mustReceiveFirst {
            try write(encoder, into: writer, track: track)
        }
        try write(encoder, into: writer, track: track)
    }

    private func drain(_ encoder: Encoder, into writer: EncodedFileWriter, track: FragmentedMP4Writer.Track) throws {
        try encoder.sendEndOfStream()
        try write(encoder, into: writer, track: track)
    }

    private func write(_ encoder: Encoder, into writer: EncodedFileWriter, track: FragmentedMP4Writer.Track) throws {
        while let packet = try encoder.receive() {
            // x264 leaves durations unset; each picture lasts one tick of the 1/fps time base.
            if track == .video && packet.duration == 0 { packet.duration = 1 }
            try writer.write(packet, track: track)
        }
    }
}
