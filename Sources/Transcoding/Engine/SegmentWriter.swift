import LibAV
import Packaging

/// Cuts one rendition's fMP4 into HLS segments and records their byte ranges.
///
/// A rendition with video cuts before the keyframes its stage scheduled (``scheduleCut(atPTS:)``):
/// every rendition schedules its cuts on the same source times, so all of them switch on the
/// same timestamps (RFC 8216 6.2.4). Audio packets before the cut go into the closing segment;
/// a cut waits until audio has reached it. An audio-only rendition (split audio) cuts at the
/// first packet at or past each multiple of `segmentSeconds`.
final class SegmentWriter {
    private let file: FragmentedMP4Writer
    private let segmentSeconds: Int
    /// Time base of the video packets; nil for an audio-only file.
    private let videoTimeBase: Double?
    private let audioTimeBase: Double?
    private let hasAudio: Bool

    private var heldVideo: [PacketBox] = []
    private var scheduledCuts: [Int64] = []
    private var heldAudio: [(box: PacketBox, time: Double)] = []
    private var audioReached = -Double.infinity
    private var audioFinished = false
    private var segmentStart = 0.0
    private var initLength: Int64?
    private var lastOffset: Int64 = 0
    private var segments: [Segment] = []
    private var mediaEnd = 0.0
    /// Seconds of media written so far (progress).
    private(set) var writtenTime = 0.0

    init(path: String, video: TrackFormat?, audio: TrackFormat?, segmentSeconds: Int) throws(FFmpegError) {
        file = try FragmentedMP4Writer(path: path, video: video, audio: audio)
        self.segmentSeconds = segmentSeconds
        videoTimeBase = video?.timeBase.doubleValue
        audioTimeBase = audio?.timeBase.doubleValue
        hasAudio = audio != nil
    }

    /// The first multiple of `segmentSeconds` after the current segment's start: audio before it
    /// belongs to the current segment whatever the next cut's exact time.
    private var nextMark: Double {
        let step = Double(segmentSeconds)
        return ((segmentStart + 0.001) / step).rounded(.down) * step + step
    }

    /// The video keyframe at `pts` (in the video time base) starts a segment. Call before the
    /// packet can reach ``addVideo(_:)``.
    func scheduleCut(atPTS pts: Int64) {
        scheduledCuts.append(pts)
    }

    func addVideo(_ packet: consuming Packet) throws(FFmpegError) {
        if let base = videoTimeBase, let pts = packet.pts {
            mediaEnd = max(mediaEnd, Double(pts + max(packet.duration, 1)) * base)
        }
        heldVideo.append(PacketBox(packet))
        try release()
    }

    func addAudio(_ packet: consuming Packet) throws(FFmpegError) {
        let time = audioSeconds(packet.pts ?? 0)
        let end = audioSeconds((packet.pts ?? 0) + packet.duration)
        audioReached = max(audioReached, end)
        mediaEnd = max(mediaEnd, end)
        guard videoTimeBase != nil else {
            if time >= nextMark { try cut(at: time) }
            try file.write(packet, track: .audio)
            writtenTime = max(writtenTime, end)
            return
        }
        if time < nextMark {
            try file.write(packet, track: .audio)
        } else {
            heldAudio.append((PacketBox(packet), time))
        }
        try release()
    }

    /// Writes held video in order, cutting before a scheduled keyframe.
    private func release() throws(FFmpegError) {
        guard let base = videoTimeBase else { return }
        while let first = heldVideo.first {
            let key = first.withPacket { packet in packet.isKeyframe ? packet.pts : nil } ?? nil
            if let pts = key, let cutPTS = scheduledCuts.first, pts >= cutPTS {
                let time = Double(pts) * base
                if hasAudio && !audioFinished && audioReached < time { return }
                try cut(at: time)
                scheduledCuts.removeAll { $0 <= pts }
            }
            heldVideo.removeFirst()
            if let packet = first.take() {
                if let pts = packet.pts { writtenTime = max(writtenTime, Double(pts) * base) }
                try file.write(packet, track: .video)
            }
        }
    }

    /// Closes the current segment at `time` and starts the next one.
    private func cut(at time: Double) throws(FFmpegError) {
        try writeHeldAudio(before: time)
        try writeInitSegmentIfNeeded()
        let end = try file.flushFragment()
        segments.append(Segment(duration: time - segmentStart, offset: lastOffset, length: end - lastOffset))
        lastOffset = end
        segmentStart = time
        try writeHeldAudio(before: nextMark)
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
        guard let base = audioTimeBase else { return 0 }
        return Double(value) * base
    }
}
