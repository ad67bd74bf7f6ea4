import Foundation
import LibAV
import Transcoding

/// The human-readable `sluice probe` output.
enum ProbeTable {
    static func render(_ report: ProbeReport) -> String {
        var lines: [String] = []
        lines.append("File:       \(report.file)")
        lines.append("Container:  \(report.container)\(report.containerLongName.map { " (\($0))" } ?? "")")
        lines.append("Duration:   \(report.duration.map { String(format: "%.3f s", $0) } ?? "unknown")")
        lines.append("Bit rate:   \(report.bitRate.map { "\($0 / 1000) kb/s" } ?? "unknown")")
        if let size = report.size { lines.append("Size:       \(size) bytes") }
        for stream in report.streams {
            lines.append("")
            var head = "Stream #\(stream.index): \(stream.kind.rawValue) \(stream.codec)"
            if let profile = stream.profile { head += " (\(profile))" }
            if let language = stream.language { head += " [\(language)]" }
            if !stream.disposition.isEmpty { head += " {\(stream.disposition.joined(separator: ", "))}" }
            lines.append(head)
            if stream.kind == .video {
                var picture = "  picture:  \(stream.width ?? 0)x\(stream.height ?? 0)"
                if let display = stream.displaySize, stream.rotation ?? 0 != 0 {
                    picture += " shown as \(display.width)x\(display.height) (rotated \(stream.rotation ?? 0)°)"
                }
                if let sar = stream.sampleAspectRatio, sar.numerator != sar.denominator { picture += " SAR \(sar)" }
                lines.append(picture)
                lines.append("  format:   \(stream.pixelFormat ?? "?"), \(stream.bitDepth.map { "\($0)-bit" } ?? "?")"
                    + (stream.chromaSubsampling.map { ", 4:\($0 == 420 ? "2:0" : $0 == 422 ? "2:2" : "4:4")" } ?? ""))
                lines.append("  rate:     avg \(fps(stream.averageFrameRate)), r \(fps(stream.realFrameRate))")
                lines.append("  scan:     \(stream.fieldOrder ?? "unknown")")
                lines.append("  colour:   transfer \(stream.colorTransfer ?? "unspecified"), primaries \(stream.colorPrimaries ?? "unspecified")"
                    + ", matrix \(stream.colorSpace ?? "unspecified"), range \(stream.colorRange ?? "unspecified")"
                    + (stream.isHDR ? " (HDR)" : ""))
            }
            if stream.kind == .audio {
                lines.append("  audio:    \(stream.sampleRate ?? 0) Hz, \(stream.channels ?? 0) channels (\(stream.channelLayout ?? "unknown layout")), \(stream.sampleFormat ?? "?")")
            }
            var extra: [String] = []
            if let bitRate = stream.bitRate { extra.append("\(bitRate / 1000) kb/s") }
            if let duration = stream.duration { extra.append(String(format: "%.3f s", duration)) }
            if let frames = stream.frameCount { extra.append("\(frames) frames") }
            if !extra.isEmpty { lines.append("  stream:   " + extra.joined(separator: ", ")) }
        }
        return lines.joined(separator: "\n")
    }

    private static func fps(_ rate: Rational?) -> String {
        guard let rate, let value = rate.doubleValue else { return "unknown" }
        return String(format: "%.3f (%@)", value, rate.description)
    }
}
