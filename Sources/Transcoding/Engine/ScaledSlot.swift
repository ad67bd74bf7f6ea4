import Foundation
import LibAV

/// A scaled picture made once, under its lock.
final class ScaledSlot: @unchecked Sendable {
    let lock = NSLock()
    var picture: FrameBox?
}
