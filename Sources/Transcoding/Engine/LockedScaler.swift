import Foundation
import LibAV

/// One level's scaler, made for the first picture's shape (and again if the shape changes),
/// used by one thread at a time.
final class LockedScaler: @unchecked Sendable {
    private let lock = NSLock()
    private var scaler: Scaler?

    func scale(_ frame: borrowing Frame, to size: ScaleCascade.Size) throws(FFmpegError) -> Frame {
        lock.lock()
        defer { lock.unlock() }
        if scaler.map({ !$0.accepts(frame) }) ?? true {
            scaler = try Scaler(like: frame, width: size.width, height: size.height, reusesOutput: false)
        }
        guard let scaler else { throw FFmpegError(code: -22, operation: "scaler") }
        return try scaler.scale(frame)
    }
}
