import Foundation
import LibAV
import Packaging

/// Reads every rendition back before the package is published: it must open, and its
/// duration must match the source (a truncated or half-decoded source fails here rather
/// than producing a short video).
struct PackageVerifier {
    let report: ProbeReport
    let directory: URL

    /// A rendition may differ from the source by this much (seconds or fraction, the larger).
    static func tolerance(for duration: Double) -> Double {
        max(0.5, 0.03 * duration)
    }

    func verify(_ manifest: PackageManifest) throws(TranscodeError) {
        for rendition in manifest.renditions {
            let path = directory.appendingPathComponent(rendition.file).path
            let duration: Double
            do {
                let readBack = try Demuxer(path: path)
                duration = readBack.duration ?? rendition.duration
            } catch {
                throw TranscodeError(.output, file: report.file, reason: "the \(rendition.resolution)p output cannot be read back (\(error))")
            }
            guard let expected = report.expectedDuration, expected > 0 else { continue }
            if abs(duration - expected) > Self.tolerance(for: expected) {
                let hint = duration < expected ? ": the file is truncated or damaged" : ""
                throw TranscodeError(.badInput, file: report.file,
                                     reason: String(format: "decoded %.1f s of the %.1f s it declares%@", duration, expected, hint),
                                     logTail: FFmpegLog.recentLines())
            }
        }
    }
}
