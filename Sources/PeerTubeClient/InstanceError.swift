import Foundation

/// A failed call to an instance (runner routes, OAuth, REST, uploads), with the sentence a person can act on: the instance's own words
/// in whichever shape it sends them (PeerTube's `application/problem+json` `detail`, an `error`
/// or `message` field, a Django REST framework `{"errors": …}` or field map, plain text),
/// shortened to one line.
public struct InstanceError: Error, CustomStringConvertible, Sendable {
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

    /// Longest reason kept from an instance's answer.
    static let maximumDetail = 300

    /// Reads the reason from any body shape; falls back to the status line.
    public static func from(status: Int, body: Data) -> InstanceError {
        let json = try? JSONSerialization.jsonObject(with: body)
        let object = json as? [String: Any]
        let code = object?["code"] as? String
        let reason = json.flatMap(reason(in:)) ?? plainText(body)
        let detail = reason.map(oneLine) ?? "the instance answered HTTP \(status)"
        return InstanceError(status: status, code: code, detail: detail)
    }

    /// The human words in a JSON answer: PeerTube's `detail` (with the fields express-validator
    /// names), else `error`, `message`, `title`, else every message of a field map or list.
    static func reason(in json: Any) -> String? {
        if let object = json as? [String: Any] {
            for key in ["detail", "error", "message", "error_description", "title"] {
                if let text = object[key] as? String, !text.isEmpty { return text }
                if let nested = object[key], !(nested is String), let text = reason(in: nested) { return text }
            }
            if let errors = object["errors"] { return reason(in: errors) }
            let messages = object.keys.sorted().compactMap { key -> String? in
                guard let text = reason(in: object[key] as Any) else { return nil }
                return key == "non_field_errors" || key == "__all__" ? text : "\(key): \(text)"
            }
            return messages.isEmpty ? nil : messages.joined(separator: "; ")
        }
        if let list = json as? [Any] {
            let messages = list.compactMap(reason(in:))
            return messages.isEmpty ? nil : messages.joined(separator: "; ")
        }
        if let text = json as? String, !text.isEmpty { return text }
        return nil
    }

    /// `from(status:body:)` with what was being asked for in front: `channel studio: Video channel not found`.
    public static func from(status: Int, body: Data, context: String) -> InstanceError {
        var error = from(status: status, body: body)
        error.detail = "\(context): \(error.detail)"
        return error
    }

    /// A short plain-text or HTML answer's words, nil for an empty body.
    static func plainText(_ body: Data) -> String? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        let words = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        let trimmed = words.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        let collapsed = line.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
        return collapsed.count > maximumDetail ? String(collapsed.prefix(maximumDetail - 1)) + "…" : collapsed
    }
}
