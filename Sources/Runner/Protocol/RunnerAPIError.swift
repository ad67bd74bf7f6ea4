import Foundation

/// A failed call to an instance's runner API, with the sentence a person can act on: PeerTube's
/// own `detail` (from its `application/problem+json` answer) when it gave one.
public struct RunnerAPIError: Error, CustomStringConvertible, Sendable {
    public var status: Int?
    /// PeerTube's `ServerErrorCode`, e.g. `unknown_runner_token`.
    public var code: String?
    public var detail: String

    public init(status: Int?, code: String?, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// The runner token is no longer known: the runner was deleted on the instance, or its
    /// registration token was revoked.
    public var isUnknownRunnerToken: Bool { code == "unknown_runner_token" }

    public var description: String {
        guard let status, !detail.hasSuffix("HTTP \(status)") else { return detail }
        return "\(detail) (HTTP \(status))"
    }

    /// Reads a problem+json body; falls back to the status line.
    static func from(status: Int, body: Data) -> RunnerAPIError {
        let problem = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let detail = (problem?["detail"] as? String) ?? (problem?["title"] as? String)
            ?? "the instance answered HTTP \(status)"
        return RunnerAPIError(status: status, code: problem?["code"] as? String, detail: detail)
    }
}
