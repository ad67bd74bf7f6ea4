import Foundation
import Ladder

/// The human-readable `sluice plan` output.
enum PlanTable {
    static func render(_ plan: LadderPlan) -> String {
        var lines = ["Tier \(plan.pipeline): \(plan.renditions.count) rendition(s), \(plan.segmentSeconds) s segments, keyframe every \(plan.keyframeSeconds) s"
            + (plan.isStillImage ? ", still-image video for an audio file" : "")]
        lines.append("")
        lines.append("  res     size          fps   video    maxrate     bufsize     audio")
        for rendition in plan.renditions {
            let audio = plan.splitAudio ? "separate" : plan.audio.map(describe) ?? "none"
            let rates = rendition.copy
                ? String(format: "  %6d k       (source) ", rendition.maxBitrate / 1000)
                : String(format: "  %6d k    %6d k    ", rendition.maxBitrate / 1000, rendition.bufferSize / 1000)
            lines.append("  " + pad("\(rendition.resolution)p", 6) + "  " + pad("\(rendition.width)x\(rendition.height)", 12)
                + String(format: "  %3d   ", rendition.fps) + pad(rendition.copy ? "copy" : "encode", 6) + rates + audio)
        }
        if plan.splitAudio, let audio = plan.audio {
            lines.append("  0p      audio only                                               " + describe(audio))
        }
        lines.append("")
        if let top = plan.renditions.first {
            lines.append(top.copy ? "Top rung: copied from the source (every rung cuts on its keyframes)"
                : "Top rung: encoded" + (plan.copyRefusal.map { ", not copied: \($0)" } ?? ""))
        }
        if let audio = plan.audio {
            lines.append(audio.copy ? "Audio: the source's AAC, copied" : "Audio: encoded once" + (audio.copyRefusal.map { ", not copied: \($0)" } ?? ""))
        }
        lines.append(String(format: "Estimated size: at most %.1f MB (every rendition at its cap)", Double(plan.estimatedMaxBytes) / 1_000_000))
        return lines.joined(separator: "\n")
    }

    private static func describe(_ audio: AudioPlan) -> String {
        let channels = audio.channels == 1 ? "mono" : audio.channels == 2 ? "stereo" : "\(audio.channels) ch"
        return "AAC \(audio.copy ? "copy " : "")\(audio.bitRate / 1000)k \(audio.sampleRate) Hz \(channels)"
    }

    /// Left-aligns `text` in a column (String(format:) does not pad `%@` on Linux).
    private static func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }
}
