import LibAV
import Packaging

/// Cuts one rendition's fMP4 into HLS segments on the shared grid and records their byte ranges.
///
/// A muxed rendition cuts before a video keyframe whose slot is a multiple of
/// `segmentSeconds * fps`: the keyframes were forced on the same source times in every
/// rendition, so every rendition cuts on the same timestamps (RFC 8216 6.2.4). Audio packets
/// before the cut go into the closing segment; a cut waits until audio has reached it. An
/// audio-only rendition (split audio) cuts at the first packet at or past each boundary.
final class SegmentWriter {
    private let file: FragmentedMP4Writer
    private let segmentSeconds: Int
    /// Frames per second of the video track; nil for an audio-only file.
    private let videoFPS: Int?
    private let audioTimeBase: Rational?
    private let hasAudio: Bool

    private var heldVideo: [PacketBox] = []
    private var heldAudio: [(box: PacketBox, time: Double)] = []
    private var audioReached = -Double.infinity
    private var audioFinished = false
    /// Index of the segment being filled: it covers [k * S, (k + 1) * S).
    private var segmentIndex = 0
    private var segmentStart = 0.0
    private var initLength: Int64?
    private var lastOffset: Int64 = 0
    private var segments: [Segment] = []
    private var mediaEnd = 0.0
    /// Seconds of media written so far (progress).
    private(set) var writtenTime = 0.0

    init(path: String, video: Encoder?, audio: Encoder?, segmentSeconds: Int, videoFPS: Int?) throws(FFmpegError) {
        file = try FragmentedMP4Writer(path: path, video: video, audio: audio)
        self.segmentSeconds = segmentSeconds
        self.videoFPS = video == nil ? nil : videoFPS
        audioTimeBase = audio?.timeBase
        hasAudio = audio != nil
    }

    private var segmentEnd: Double { Double((segmentIndex + 1) * segmentSeconds) }

    func addVideo(_ packet: consuming Packet) throws(FFmpegError) {
        if let fps = videoFPS, let pts = packet.pts {
            mediaEnd = max(mediaEnd, Double(pts + max(packet.duration, 1)) / Double(fps))
        }
        heldVideo.append(PacketBox(packet))
        try release()
    }

    func addAudio(_ packet: consuming Packet) throws(FFmpegError) {
        let time = audioSeconds(packet.pts ?? 0)
        let end = audioSeconds((packet.pts ?? 0) + packet.duration)
        audioReached = max(audioReached, end)
        mediaEnd = max(mediaEnd, end)
        guard videoFPS != nil else {
            let boundary = Int((time / Double(segmentSeconds)).rounded(.down))
            if boundary > segmentIndex { try cut(to: boundary, at: time) }
            try file.write(packet, track: .audio)
            writtenTime = max(writtenTime, end)
            return
        }
        if time < segmentEnd {
            try file.write(packet, track: .audio)
        } else {
            heldAudio.append((PacketBox(packet), time))
        }
        try release()
    }

    /// Writes held video in order, cutting where a boundary keyframe starts a segment.
    private func release() throws(FFmpegError) {
        guard let fps = videoFPS else { return }
        let period = Int64(segmentSeconds * fps)
        while let first = heldVideo.first {
            let boundary = first.withPacket { packet -> Int? in
                guard packet.isKeyframe, let pts = packet.pts, pts > 0, pts % period == 0 else { return nil }
                return Int(pts / period)
            } ?? nil
            if let boundary, boundary > segmentIndex {
                let time = Double(boundary * segmentSeconds)
                if hasAudio && !audioFinished && audioReached < time { return }
                try cut(to: boundary, at: time)
            }
            heldVideo.removeFirst()
            if let packet = first.take() {
                if let pts = packet.pts { writtenTime = max(writtenTime, Double(pts) / Double(fps)) }
                try file.write(packet, track: .video)
            }
        }
    }

    /// Closes the current segment at `time` and starts segment `index`.
    private func cut(to index: Int, at time: Double) throws(FFmpegError) {
        try writeHeldAudio(before: time)
        try writeInitSegmentIfNeeded()
        let end = try file.flushFragment()
        segments.append(Segment(duration: time - segmentStart, offset: lastOffset, length: end - lastOffset))
        lastOffset = end
        segmentStart = time
        segmentIndex = index
        try writeHeldAudio(before: segmentEnd)
    }

    /// Writes the held audio packets earlier than `time`, in order.
    private func writeHeldAudio(before time: Double) throws(FFmpegError) {
        while let first = heldAudio.first, first.time < time {
            heldAudio.removeFirst()
            if let packet = first.box.take() { try file.write(packet, track: .audio) }
        }
    }

    /// The first flush of a `delay_moov` file writes only ftyp + moov: the init segment.
    private func writeInitSegmentIfNeeded() throws(FFmpegError) {
        guard initLength == nil else { return }
        let length = try file.flushFragment()
        initLength = length
        lastOffset = length
    }

    /// Writes everything left, closes the last segment and the file.
    func finish() throws(FFmpegError) -> (initLength: Int64, segments: [Segment], size: Int64) {
        audioFinished = true
        try release()
        try writeHeldAudio(before: .infinity)
        try writeInitSegmentIfNeeded()
        let end = try file.flushFragment()
        if end > lastOffset {
            segments.append(Segment(duration: max(mediaEnd - segmentStart, 0.001), offset: lastOffset, length: end - lastOffset))
        }
        let size = try file.finish()
        writtenTime = mediaEnd
        return (initLength ?? 0, segments, size)
    }

    private func audioSeconds(_ value: Int64) -> Double {
        guard let base = audioTimeBase?.doubleValue else { return 0 }
        return Double(value) * base
    }
}
