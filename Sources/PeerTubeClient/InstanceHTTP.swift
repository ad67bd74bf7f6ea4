import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// HTTP to PeerTube instances over async-http-client, the one transport Sluice's runner (and
/// publishing) speak through.
///
/// Why not Foundation's URLSession: on Linux it does not notice that a server closed an idle
/// keep-alive connection, so the next request went out on the dead connection and waited its
/// whole timeout (a runner deaf for a minute behind uvicorn or Node, which close idle connections
/// after 5 s). Here NIO sees the close and drops the connection from the pool; pooled
/// connections are also never kept idle past `idleTimeout` (under the usual 5 s servers allow),
/// and a request that still meets a closed connection before any answer is sent again at once.
///
/// Control calls get a short deadline (`controlTimeout`); transfers get none on their total
/// length, only on progress (`Timeout.read`: no byte for that long ends them).
public struct InstanceHTTP: Sendable {
    /// Seconds a control call (request, accept, update, abort, error) may take in all.
    public static let controlTimeout: Int64 = 15
    /// Seconds a transfer may go without a byte before it counts as dead.
    public static let idleTransferTimeout: Int64 = 60

    /// One client for the process (connection pool, event loops), never shut down.
    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .seconds(idleTransferTimeout)))
        configuration.connectionPool.idleTimeout = .seconds(4)
        // A refused connection fails at once; the callers decide how often to try again.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return configuration
    }())

    public init() {}

    /// An answer: its status and body (bodies of control calls are small; at most 16 MiB read).
    public struct Answer: Sendable {
        public var status: Int
        public var body: Data
        /// Response headers, names lowercased (`range`, `location`, `retry-after`, …).
        public var headers: [String: String] = [:]

        public init(status: Int, body: Data, headers: [String: String] = [:]) {
            self.status = status
            self.body = body
            self.headers = headers
        }

        public var isSuccess: Bool { (200..<300).contains(status) }

        /// The body as a JSON object, nil when it is not one.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    /// One request of any method, with `headers` and an optional body already in memory (REST
    /// calls and upload chunks of a few MB). A transport failure is thrown, not retried: the
    /// caller knows whether repeating is safe (an upload chunk is not blindly repeated; its
    /// offset is asked again first).
    public func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil,
                     timeout: Int64 = controlTimeout) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        return try await send(request, timeout: timeout)
    }

    /// `send`, again after a transport failure before any answer (for requests safe to repeat).
    public func sendRetrying(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil,
                             timeout: Int64 = controlTimeout) async throws -> Answer {
        try await retryingTransport(url) { try await send(method, url, headers: headers, body: body, timeout: timeout) }
    }

    /// A multipart request of any method (a video's new thumbnail goes by PUT).
    public func sendMultipart(_ method: HTTPMethod, _ url: String, _ multipart: MultipartBody, headers: [(String, String)] = [],
                              timeout: Int64 = 3600) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(multipart.boundary)")
        request.body = .stream(multipart.chunks(), length: .known(try multipart.length()))
        return try await send(request, timeout: timeout)
    }

    /// POSTs `json` to `url`; a transport failure before any answer (a connection the server
    /// closed under the request, a refused connection) is tried again: at once, then after
    /// 0.5 s and 1 s.
    public func postJSON(_ url: String, _ json: [String: Any], timeout: Int64 = controlTimeout) async throws -> Answer {
        let request = try Self.post(url, json: json)
        return try await retryingTransport(url) { try await send(request, timeout: timeout) }
    }

    /// GETs `url` (public documents such as `/api/v1/config`).
    public func get(_ url: String, timeout: Int64 = controlTimeout) async throws -> Answer {
        try await retryingTransport(url) {
            try await send(HTTPClientRequest(url: url), timeout: timeout)
        }
    }

    /// POSTs `json` and streams the answer's body into `destination` (created owner-only).
    /// Returns the status; a body that is not 2xx is read back as the answer instead.
    public func download(_ url: String, json: [String: Any], to destination: URL) async throws -> Answer {
        let response = try await Self.client.execute(try Self.post(url, json: json), timeout: .hours(24))
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            return Answer(status: status, body: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
        }
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        for try await chunk in response.body {
            try output.write(contentsOf: chunk.readableBytesView)
        }
        return Answer(status: status, body: Data())
    }

    /// POSTs a multipart body streamed from its files, with its exact Content-Length (never
    /// chunked: not every server in front of or imitating PeerTube reads chunked bodies).
    public func upload(_ url: String, _ multipart: MultipartBody) async throws -> Answer {
        try await sendMultipart(.POST, url, multipart, timeout: 24 * 3600)
    }

    /// A POST of `json` (every runner route, and the downloads, which carry the job's tokens).
    private static func post(_ url: String, json: [String: Any]) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
        return request
    }

    private func send(_ request: HTTPClientRequest, timeout: Int64) async throws -> Answer {
        let response = try await Self.client.execute(request, timeout: .seconds(timeout))
        let body = try await response.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), body: Data(buffer: body), headers: headers)
    }

    /// Runs `call`, again on a transport failure that happened before any answer.
    func retryingTransport(_ url: String, _ call: () async throws -> Answer) async throws -> Answer {
        var attempt = 0
        while true {
            do {
                return try await call()
            } catch let error where Self.isRetryable(error) && attempt < 3 && !Task.isCancelled {
                attempt += 1
                if attempt > 1 { try await Task.sleep(for: .milliseconds(500 * (attempt - 1))) }
            } catch {
                throw InstanceError(status: nil, code: nil, detail: "cannot reach \(Self.origin(of: url)) (\(Self.describe(error)))")
            }
        }
    }

    /// A failure where the request cannot have been acted on twice harmfully: the connection went
    /// away or could not be made. (Every runner call is safe to repeat: PeerTube answers a repeat
    /// with a state error the caller handles.)
    static func isRetryable(_ error: Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [.remoteConnectionClosed, .connectTimeout, .readTimeout, .writeTimeout].contains(error)
        }
        return error is ChannelError || error is IOError || (error as NSError).domain == NSPOSIXErrorDomain
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded: return "no answer in time"
            case .remoteConnectionClosed: return "the connection was closed"
            case .connectTimeout: return "connection timed out"
            case .readTimeout: return "no data for \(idleTransferTimeout) s"
            default: return "\(error)"
            }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        return "\(error)"
    }

    /// `scheme://host[:port]` of `url`: which instance could not be reached.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return url }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
