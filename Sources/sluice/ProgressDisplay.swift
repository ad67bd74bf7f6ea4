import Foundation
import Transcoding

/// One self-rewriting progress line on a terminal's stderr; silent when stderr is not a terminal.
final class ProgressDisplay: @unchecked Sendable {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: TranscodeProgress) {
        guard enabled, Date().timeIntervalSince(lastDraw) > 0.2 || progress.stage != .encoding else { return }
        lastDraw = Date()
        var line = String(format: "%@ %5.1f%%", progress.stage.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0),
                          progress.fraction * 100)
        if progress.speed > 0 { line += String(format: "  %.2fx realtime", progress.speed) }
        if let eta = progress.eta, eta.isFinite { line += "  ETA " + Timecode.compact(eta) }
        if let rendition = progress.currentRendition { line += "  (\(rendition))" }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        drawn = true
    }

    func finish() {
        if enabled && drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
