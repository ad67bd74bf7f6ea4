import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The runner routes of one PeerTube instance (`/api/v1/runners`, runner-protocol.md §3-4).
/// Every route is a POST; bodies are JSON except uploads.
public struct RunnerAPI: Sendable {
    public let instance: String
    private let session: URLSession

    public init(instance: String, session: URLSession = .shared) {
        self.instance = RegisteredInstance.normalized(url: instance)
        self.session = session
    }

    /// `POST /register`: 200 `{id, runnerToken}`; 404 for an unknown registration token, 400 for
    /// a name already taken.
    public func register(registrationToken: String, name: String, description: String?,
                         version: String) async throws -> (id: Int, runnerToken: String) {
        var body: [String: String] = ["registrationToken": registrationToken, "name": name, "version": version]
        if let description { body["description"] = description }
        let data = try await post("register", body)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let id = object["id"] as? Int, let token = object["runnerToken"] as? String else {
            throw RunnerAPIError(status: 200, code: nil, detail: "the instance's answer to /register has no id and runnerToken")
        }
        return (id, token)
    }

    /// `POST /unregister`: 204.
    public func unregister(runnerToken: String) async throws {
        _ = try await post("unregister", ["runnerToken": runnerToken])
    }

    private func post(_ route: String, _ body: [String: String]) async throws -> Data {
        guard let url = URL(string: "\(instance)/api/v1/runners/\(route)"), url.scheme == "http" || url.scheme == "https" else {
            throw RunnerAPIError(status: nil, code: nil, detail: "'\(instance)' is not an http(s) URL")
        }
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw RunnerAPIError(status: nil, code: nil, detail: "cannot reach \(instance) (\(error.localizedDescription))")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw RunnerAPIError.from(status: status, body: data) }
        return data
    }
}
