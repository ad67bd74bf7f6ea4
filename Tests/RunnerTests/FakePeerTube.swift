import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// A PeerTube instance's runner API, written from runner-protocol.md: registration (§3-4.2) and
/// the job routes (§4.3-4.5, §6), with the same validation order, status codes and
/// `application/problem+json` errors, the job chain of one upload (§7), failures and retries (§8).
final class FakePeerTube: Sendable {
    struct Runner: Sendable { var id: Int; var name: String; var version: String? }
    struct State: Sendable {
        var registrationTokens: Set<String> = []
        var runners: [String: Runner] = [:]
        var nextID = 1
        var jobs: [FakeJob] = []
        /// The file each video's `max-quality` serves now (the upload, then the optimize result).
        var videoFiles: [String: URL] = [:]
        /// A video's separate audio file (split-audio HLS), served by `max-quality/audio`.
        var audioFiles: [String: URL] = [:]
        var requests = 0
        /// Input downloads per video.
        var downloads: [String: Int] = [:]
        /// The preview (thumbnail) of each video, for audio merges.
        var previews: [String: URL] = [:]
        /// `GET /api/v1/config`'s document, when the instance publishes one.
        var config: Data?
        /// When each `/jobs/request` arrived.
        var requestTimes: [Date] = []
        /// Runner sockets joined to `/runners` now.
        var sockets = 0
        /// While set, every runner route answers 503, as an instance behind a proxy while it restarts.
        var unavailable = false
        var refusedWhileUnavailable = 0
        /// What each live job sent, by job.
        var lives: [String: FakeLive] = [:]
        /// Studio task files by the name PeerTube gave them.
        var taskFiles: [String: URL] = [:]
        /// Accounts, tokens, uploads and videos of the REST side (peertube-upload-api.md).
        var accounts = FakeAccounts()
    }

    /// A 6.3 instance ignores `jobTypes`.
    let ignoresJobTypes: Bool
    /// With a limit, processing jobs not accepted or updated for that long go back to pending,
    /// as PeerTube's stall watchdog does (§8; PeerTube checks every minute for 2 min of silence).
    let stallLimit: Duration?
    /// How long each `/success` takes to ingest, as a slow upload or a busy instance would.
    let successDelay: Duration
    let uploads: URL
    private let state = Mutex(State())
    private let baseURL = Mutex("")
    private let waiters = Mutex<[UUID: (predicate: @Sendable (State) -> Bool, continuation: CheckedContinuation<Void, Never>)]>([:])

    /// How this server differs from PeerTube's own answers (another team's implementation).
    let dialect: ServerDialect
    let sockets = SocketHub()

    init(registrationTokens: Set<String>, ignoresJobTypes: Bool = false, stallLimit: Duration? = nil, successDelay: Duration = .zero,
         dialect: ServerDialect = ServerDialect()) {
        self.dialect = dialect
        self.ignoresJobTypes = ignoresJobTypes
        self.stallLimit = stallLimit
        self.successDelay = successDelay
        uploads = FileManager.default.temporaryDirectory.appendingPathComponent("fake-peertube-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        state.withLock { $0.registrationTokens = registrationTokens }
    }

    deinit {
        try? FileManager.default.removeItem(at: uploads)
    }

    var snapshot: State { state.withLock { $0 } }
    var runners: [String: Runner] { snapshot.runners }
    var jobs: [FakeJob] { snapshot.jobs }

    /// Publishes the transcoding part of `/api/v1/config` as PeerTube 8.2 does.
    func publishConfig(resolutions: [Int], hls: Bool = true, webVideos: Bool = false, splitAudio: Bool = false, podcast: Bool = true) {
        let document: [String: Any] = ["transcoding": [
            "hls": ["enabled": hls, "splitAudioAndVideo": splitAudio], "web_videos": ["enabled": webVideos],
            "enabledResolutions": resolutions, "alwaysTranscodePodcastOptimizedAudio": podcast,
            "remoteRunners": ["enabled": true]]]
        change { $0.config = try? JSONSerialization.data(withJSONObject: document) }
    }

    /// What an admin deleting the runner in the web interface does.
    func deleteRunner(named name: String) {
        change { state in state.runners = state.runners.filter { $0.value.name != name } }
    }

    /// Waits until `predicate` holds (checked after every change the server makes).
    func wait(until predicate: @escaping @Sendable (State) -> Bool) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { predicate($0) }
            if ready { return continuation.resume() }
            waiters.withLock { $0[UUID()] = (predicate, continuation) }
            // A change between the check and the registration would be missed: check again.
            if state.withLock({ predicate($0) }) { wake() }
        }
    }

    func change<T>(_ body: (inout State) -> T) -> T {
        let (result, pendingBefore, pendingAfter) = state.withLock { state -> (T, Int, Int) in
            let before = state.jobs.filter { $0.state == .pending }.count
            let result = body(&state)
            return (result, before, state.jobs.filter { $0.state == .pending }.count)
        }
        // PeerTube's sendAvailableJobsPingToRunners: a job became pending (created, released,
        // aborted, errored back).
        if pendingAfter > pendingBefore { sockets.broadcast("42/runners,[\"available-jobs\"]") }
        wake()
        return result
    }

    private func wake() {
        let current = state.withLock { $0 }
        let ready = waiters.withLock { all -> [CheckedContinuation<Void, Never>] in
            let keys = all.filter { $0.value.predicate(current) }.map(\.key)
            return keys.compactMap { all.removeValue(forKey: $0)?.continuation }
        }
        for continuation in ready { continuation.resume() }
    }

    /// Starts the server on a loopback port, runs `body` with its base URL, and stops it.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router(), server: serverKind(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Self.quietLogger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            if let stallLimit {
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: stallLimit / 10)
                        self.takeBackStalled(limit: stallLimit)
                    }
                    return nil
                }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let url = "http://127.0.0.1:\(port)"
            baseURL.withLock { $0 = url }
            let result = try await body(url)
            group.cancelAll()
            return result
        }
    }

    var base: String { baseURL.withLock { $0 } }

    /// Plain HTTP/1, with the dialect's keep-alive idle timeout, or with socket.io's WebSocket upgrade.
    private func serverKind() -> HTTPServerBuilder {
        if let interval = dialect.socketPingInterval {
            return .http1WebSocketUpgrade { request, _, _ in
                guard request.path?.hasPrefix("/socket.io/") == true else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    try await self.sockets.serve(inbound: inbound, outbound: outbound, pingInterval: interval,
                                                 isRunner: { token in !self.dialect.refusesSockets && self.snapshot.runners[token] != nil },
                                                 onChange: { self.change { $0.sockets = self.sockets.connections } })
                }
            }
        }
        guard let idle = dialect.idleTimeout else { return .http1() }
        let nanoseconds = idle.components.seconds * 1_000_000_000 + idle.components.attoseconds / 1_000_000_000
        return .http1(configuration: .init(idleTimeout: .nanoseconds(nanoseconds)))
    }

    /// The stall watchdog's round: silent processing jobs back to pending, token cleared.
    private func takeBackStalled(limit: Duration) {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        let now = Date()
        change { state in
            for index in state.jobs.indices where state.jobs[index].state == .processing {
                guard let contact = state.jobs[index].lastContact, now.timeIntervalSince(contact) > seconds else { continue }
                state.jobs[index].stalls += 1
                Self.takeBack(&state, index: index)
            }
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
        runners.add(middleware: UnavailableMiddleware(server: self))
        addRegistrationRoutes(runners)
        addJobRoutes(runners)
        addAccountRoutes(router)
        addUploadRoutes(router)
        router.get("api/v1/config") { _, _ -> Response in
            guard let data = self.snapshot.config else { return Self.problem(404, "Not found") }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return router
    }

    private func addRegistrationRoutes(_ runners: RouterGroup<BasicRequestContext>) {
        runners.post("register") { request, context -> Response in
            let body = try await Self.json(request)
            guard let token = body["registrationToken"] as? String, (1...1000).contains(token.count),
                  let name = body["name"] as? String, (1...100).contains(name.count),
                  Self.optionalText(body["description"], 1...1000) else {
                return Self.problem(400, "Incorrect request parameters: registrationToken, name, description")
            }
            return self.change { state -> Response in
                guard state.registrationTokens.contains(token) else { return Self.problem(404, "Registration token is invalid") }
                if state.runners.values.contains(where: { $0.name == name }) {
                    guard self.dialect.djangoErrors else { return Self.problem(400, "This runner name already exists on this instance") }
                    return Self.answer(["errors": [["name": ["Runner with this Name already exists."]]]], status: 400)
                }
                let runnerToken = "ptrt-\(UUID().uuidString.lowercased())"
                let id = state.nextID
                state.nextID += 1
                state.runners[runnerToken] = Runner(id: id, name: name, version: body["version"] as? String)
                switch self.dialect.runnerID {
                case .number: return Self.answer(["id": id, "runnerToken": runnerToken])
                case .uuidString: return Self.answer(["id": UUID().uuidString.lowercased(), "runnerToken": runnerToken])
                case .none: return Self.answer(["runnerToken": runnerToken])
                }
            }
        }
        runners.post("unregister") { request, context -> Response in
            let body = try await Self.json(request)
            guard let token = body["runnerToken"] as? String, (1...1000).contains(token.count) else {
                return Self.problem(400, "Incorrect request parameters: runnerToken")
            }
            return self.change { state -> Response in
                guard state.runners.removeValue(forKey: token) != nil else { return Self.unknownRunner() }
                return Response(status: .noContent)
            }
        }
    }

    static func optionalText(_ value: Any?, _ range: ClosedRange<Int>) -> Bool {
        guard let value else { return true }
        return (value as? String).map { range.contains($0.count) } ?? false
    }

    static func json(_ request: Request) async throws -> [String: Any] {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    static func answer(_ object: [String: Any], status: Int = 200) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func unknownRunner() -> Response { problem(404, "Unknown runner token", code: "unknown_runner_token") }

    static func problem(_ status: Int, _ detail: String, code: String? = nil) -> Response {
        var object: [String: Any] = ["type": "about:blank", "status": status, "detail": detail]
        if let code { object["code"] = code }
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
