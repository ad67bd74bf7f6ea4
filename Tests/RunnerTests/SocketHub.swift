import Foundation
import HummingbirdWebSocket
import Synchronization

/// The test server's socket.io side, from runner-protocol.md §9: Engine.IO v4 over WebSocket,
/// the `/runners` namespace authenticated with a runner token, pings, and `available-jobs`
/// broadcast to every joined runner.
final class SocketHub: Sendable {
    private let joined = Mutex<[UUID: WebSocketOutboundWriter]>([:])
    private let pongCount = Mutex(0)

    var connections: Int { joined.withLock { $0.count } }
    var pongs: Int { pongCount.withLock { $0 } }

    func broadcast(_ text: String) {
        for writer in joined.withLock({ Array($0.values) }) {
            Task { try? await writer.write(.text(text)) }
        }
    }

    /// One client: open packet, namespace join (refused for an unknown token), pings every
    /// `pingInterval`, pongs counted; `onChange` when the joined count or the pongs change.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, pingInterval: Duration,
               isRunner: @escaping @Sendable (String) -> Bool, onChange: @escaping @Sendable () -> Void) async throws {
        let id = UUID()
        let milliseconds = Int(pingInterval.components.seconds * 1000 + pingInterval.components.attoseconds / 1_000_000_000_000_000)
        try await outbound.write(.text("0{\"sid\":\"\(id)\",\"upgrades\":[],\"pingInterval\":\(milliseconds),\"pingTimeout\":\(milliseconds),\"maxPayload\":1000000}"))
        defer {
            joined.withLock { _ = $0.removeValue(forKey: id) }
            onChange()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: pingInterval)
                    try await outbound.write(.text("2"))
                }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard case .text(let text) = message else { continue }
                    if text == "3" {
                        self.pongCount.withLock { $0 += 1 }
                        onChange()
                    }
                    guard text.hasPrefix("40/runners,") else { continue }
                    let auth = (try? JSONSerialization.jsonObject(with: Data(text.dropFirst("40/runners,".count).utf8))) as? [String: Any]
                    guard let token = auth?["runnerToken"] as? String, isRunner(token) else {
                        try await outbound.write(.text("44/runners,{\"message\":\"Invalid runner token.\"}"))
                        continue
                    }
                    try await outbound.write(.text("40/runners,{\"sid\":\"\(UUID())\"}"))
                    self.joined.withLock { $0[id] = outbound }
                    onChange()
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}
