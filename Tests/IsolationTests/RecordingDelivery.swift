import Foundation
import Jobs
import Ladder

/// A destination that asks for a fixed ladder and accepts every package, and records which
/// sources it was asked about (its `ladder(for:)` probes them in the service's own process).
final class RecordingDelivery: JobDelivery, @unchecked Sendable {
    private let lock = NSLock()
    private var asked: [String] = []
    private var delivered: [String] = []

    var laddersAskedFor: [String] { lock.withLock { asked } }
    var deliveredNames: [String] { lock.withLock { delivered } }

    func ladder(for source: URL) async -> DeliveryLadder? {
        lock.withLock { asked.append(source.lastPathComponent) }
        return DeliveryLadder(renditions: [RenditionRequest(resolution: 240, fps: 25)], splitAudio: false)
    }

    func deliver(source: URL, name: String, package: URL) async throws(DeliveryFailure) -> DeliveryReceipt {
        lock.withLock { delivered.append(URL(fileURLWithPath: name).lastPathComponent) }
        return DeliveryReceipt(url: "http://127.0.0.1/w/\(delivered.count)", state: "Published")
    }
}
