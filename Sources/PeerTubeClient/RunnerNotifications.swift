import Foundation
import Logging
import NIOCore
import WSClient

/// PeerTube's socket.io notifications for one registered runner: a WebSocket to the instance's
/// `/runners` namespace (Engine.IO v4), authenticated with the runner token as the official
/// runner does, and `available-jobs` events, each of which lets the runner ask for jobs at once
/// instead of at its next poll (a new upload is taken within a second, not five).
///
/// It reconnects with backoff (1 s doubling to 60 s) when the instance is away, refuses the
/// namespace, or stops pinging (Engine.IO's ping interval plus timeout); polling stays the
/// runner's fallback throughout, so a server without socket.io or a proxy that refuses
/// WebSocket only costs the reaction time.
public struct RunnerNotifications: Sendable {
    public let instance: String
    let runnerToken: String
    let logger: Logger
    static let namespace = "/runners"

    public init(instance: String, runnerToken: String, logger: Logger) {
        self.instance = InstanceURL.normalized(instance)
        self.runnerToken = runnerToken
        self.logger = logger
    }

    /// `ws(s)://host/socket.io/?EIO=4&transport=websocket` for an http(s) instance URL.
    public var socketURL: String? {
        guard var components = URLComponents(string: instance), let scheme = components.scheme else { return nil }
        guard scheme == "http" || scheme == "https" else { return nil }
        components.scheme = scheme == "https" ? "wss" : "ws"
        components.path += "/socket.io/"
        components.queryItems = [URLQueryItem(name: "EIO", value: "4"), URLQueryItem(name: "transport", value: "websocket")]
        return components.string
    }

    /// Listens until the task is cancelled: `onJobs` when the namespace is joined and on every
    /// `available-jobs`; `onLink` with whether the socket is up, when that changes.
    public func run(onJobs: @escaping @Sendable () -> Void, onLink: @escaping @Sendable (Bool) -> Void = { _ in }) async {
        guard let url = socketURL else { return }
        var delay = 1.0
        while !Task.isCancelled {
            let link = SocketLink()
            do {
                try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, outbound, _ in
                    // Reading a socket does not end when its task is cancelled: closing it does.
                    try await withTaskCancellationHandler {
                        try await session(inbound: inbound, outbound: outbound, link: link, onJobs: onJobs, onLink: onLink)
                    } onCancel: {
                        Task { try? await outbound.close(.normalClosure, reason: "runner stopping") }
                    }
                }
            } catch {
                logger.debug("runner socket ended", metadata: ["instance": "\(instance)", "reason": "\(error)"])
            }
            if link.joined {
                onLink(false)
                delay = 1
            }
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            delay = min(60, delay * 2)
        }
    }

    /// One connection: join the namespace, answer pings, pass events on; ends when the server
    /// closes, refuses, or stops pinging.
    private func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, link: SocketLink,
                         onJobs: @escaping @Sendable () -> Void, onLink: @escaping @Sendable (Bool) -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // No ping within interval + timeout: the link is dead though TCP has not said so.
                while !link.isSilentTooLong() {
                    try await Task.sleep(for: .seconds(1))
                }
                throw InstanceError(status: nil, code: nil, detail: "the instance stopped pinging the runner socket")
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message, !Task.isCancelled else { continue }
                    link.heard()
                    switch SocketIOPacket.parse(text) {
                    case .open(let interval, let timeout):
                        link.allowSilence(seconds: Double(interval + timeout) / 1000)
                        try await outbound.write(.text(SocketIOPacket.connect(namespace: Self.namespace, auth: ["runnerToken": runnerToken])))
                    case .ping:
                        try await outbound.write(.text(SocketIOPacket.pong))
                    case .connected(Self.namespace):
                        link.joined = true
                        onLink(true)
                        logger.info("runner socket connected: jobs are taken as soon as they are queued", metadata: ["instance": "\(instance)"])
                        onJobs()
                    case .event(Self.namespace, "available-jobs"):
                        onJobs()
                    case .connectError(Self.namespace, let message):
                        throw InstanceError(status: nil, code: nil, detail: "the instance refused the runner socket: \(message)")
                    case .close, .disconnected(Self.namespace):
                        return
                    default:
                        continue
                    }
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}
