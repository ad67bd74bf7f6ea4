import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The runner registration routes of a PeerTube instance, written from runner-protocol.md §3-4:
/// the same validation order, status codes and `application/problem+json` errors.
final class FakePeerTube: Sendable {
    struct Runner: Sendable { var id: Int; var name: String; var version: String? }
    private struct State {
        var registrationTokens: Set<String> = []
        var runners: [String: Runner] = [:]
        var nextID = 1
    }

    private let state = Mutex(State())

    init(registrationTokens: Set<String>) {
        state.withLock { $0.registrationTokens = registrationTokens }
    }

    var runners: [String: Runner] { state.withLock { $0.runners } }

    /// What an admin deleting the runner in the web interface does.
    func deleteRunner(named name: String) {
        state.withLock { state in state.runners = state.runners.filter { $0.value.name != name } }
    }

    /// Starts the server on a loopback port, runs `body` with its base URL, and stops it.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Self.quietLogger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result = try await body("http://127.0.0.1:\(port)")
            group.cancelAll()
            return result
        }
    }

    /// Stopping the server by cancellation is expected here, not an error worth printing.
    private static let quietLogger: Logger = {
        var logger = Logger(label: "fake-peertube")
        logger.logLevel = .critical
        return logger
    }()

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        let runners = router.group("api/v1/runners")
        runners.post("register") { request, context -> Response in
            let body = try await Self.body(request, context)
            guard let token = body["registrationToken"] as? String, (1...1000).contains(token.count),
                  let name = body["name"] as? String, (1...100).contains(name.count),
                  Self.optionalText(body["description"], 1...1000) else {
                return Self.problem(400, "Incorrect request parameters: registrationToken, name, description")
            }
            return self.state.withLock { state -> Response in
                guard state.registrationTokens.contains(token) else { return Self.problem(404, "Registration token is invalid") }
                if state.runners.values.contains(where: { $0.name == name }) {
                    return Self.problem(400, "This runner name already exists on this instance")
                }
                let runnerToken = "ptrt-\(UUID().uuidString.lowercased())"
                let id = state.nextID
                state.nextID += 1
                state.runners[runnerToken] = Runner(id: id, name: name, version: body["version"] as? String)
                return Self.json(["id": id, "runnerToken": runnerToken])
            }
        }
        runners.post("unregister") { request, context -> Response in
            let body = try await Self.body(request, context)
            guard let token = body["runnerToken"] as? String, (1...1000).contains(token.count) else {
                return Self.problem(400, "Incorrect request parameters: runnerToken")
            }
            return self.state.withLock { state -> Response in
                guard state.runners.removeValue(forKey: token) != nil else {
                    return Self.problem(404, "Unknown runner token", code: "unknown_runner_token")
                }
                return Response(status: .noContent)
            }
        }
        return router
    }

    private static func optionalText(_ value: Any?, _ range: ClosedRange<Int>) -> Bool {
        guard let value else { return true }
        return (value as? String).map { range.contains($0.count) } ?? false
    }

    private static func body(_ request: Request, _ context: BasicRequestContext) async throws -> [String: Any] {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    private static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func problem(_ status: Int, _ detail: String, code: String? = nil) -> Response {
        var object: [String: Any] = ["type": "about:blank", "status": status, "detail": detail]
        if let code { object["code"] = code }
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
