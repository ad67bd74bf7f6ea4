import Foundation
import Ladder

/// The human-readable `sluice plan` output.
enum PlanTable {
    static func render(_ plan: LadderPlan) -> String {
        var lines = ["Tier \(plan.pipeline): \(plan.renditions.count) rendition(s), \(plan.segmentSeconds) s segments, keyframe every \(plan.keyframeSeconds) s"
            + (plan.isStillImage ? ", still-image video for an audio file" : "")]
        lines.append("")
        lines.append("  res     size          fps   maxrate     bufsize     audio")
        for rendition in plan.renditions {
            let audio = plan.splitAudio ? "separate" : plan.audio.map { "AAC \($0.bitRate / 1000)k \($0.sampleRate) Hz stereo" } ?? "none"
            lines.append("  " + pad("\(rendition.resolution)p", 6) + "  " + pad("\(rendition.width)x\(rendition.height)", 12)
                + String(format: "  %3d   %6d k    %6d k    ", rendition.fps, rendition.maxBitrate / 1000, rendition.bufferSize / 1000)
                + audio)
        }
        if plan.splitAudio, let audio = plan.audio {
            lines.append("  0p      audio only          AAC \(audio.bitRate / 1000)k \(audio.sampleRate) Hz stereo")
        }
        lines.append("")
        lines.append(String(format: "Estimated size: at most %.1f MB (every rendition at its cap)", Double(plan.estimatedMaxBytes) / 1_000_000))
        return lines.joined(separator: "\n")
    }

    /// Left-aligns `text` in a column (String(format:) does not pad `%@` on Linux).
    private static func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }
}
