import Foundation
import NIOHTTP1

/// A logged-in user's calls to one instance: each request carries a fresh access token, got
/// from the stored refresh token when needed and once more when the instance says the token is
/// no longer valid (expired, or refreshed by another process).
///
/// A refresh replaces the stored refresh token before its access token is used: PeerTube
/// deletes the old pair on refresh, so a process killed after the refresh must find the new one.
/// Tokens are never logged; errors carry the instance's words only.
public actor UserSession {
    public nonisolated let instance: String
    private let store: LoginStore
    private var accessToken: String?
    private var expires = Date.distantPast
    /// The refresh in flight: concurrent callers wait for it (a second refresh with the old
    /// token would be refused, the first having deleted it).
    private var refreshing: Task<String, Error>?

    public init(instance: String, store: LoginStore) {
        self.instance = InstanceURL.normalized(instance)
        self.store = store
    }

    /// Whether this state folder holds a login for the instance.
    public nonisolated var isLoggedIn: Bool { store.load(instance) != nil }

    /// The stored login's account name.
    public nonisolated var username: String? { store.load(instance)?.username }

    /// Sends a request with the bearer token; a 401 `invalid_token` refreshes once and sends again.
    public func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: Data? = nil,
                     timeout: Int64 = InstanceHTTP.controlTimeout) async throws -> InstanceHTTP.Answer {
        try await authorized { token in
            try await InstanceHTTP().send(method, self.url(path), headers: headers + [("Authorization", "Bearer \(token)")],
                                          body: body, timeout: timeout)
        }
    }

    /// A multipart request with the bearer token (a thumbnail).
    public func sendMultipart(_ method: HTTPMethod, _ path: String, _ body: MultipartBody) async throws -> InstanceHTTP.Answer {
        try await authorized { token in
            try await InstanceHTTP().sendMultipart(method, self.url(path), body, headers: [("Authorization", "Bearer \(token)")])
        }
    }

    public nonisolated func url(_ path: String) -> String { path.hasPrefix("http") ? path : instance + path }

    /// The current access token (for `logout`'s revocation).
    public func currentToken() async throws -> String {
        try await token(forceRefresh: false)
    }

    /// A token refreshed a moment ago can still be refused (another process refreshed the same
    /// login meanwhile, or the token outlived its short life on a loaded machine): up to three
    /// refreshes before the refusal is the answer.
    private func authorized(_ call: (String) async throws -> InstanceHTTP.Answer) async throws -> InstanceHTTP.Answer {
        var answer = try await call(try await token(forceRefresh: false))
        for _ in 0..<3 {
            guard answer.status == 401, InstanceError.from(status: answer.status, body: answer.body).code == "invalid_token" else {
                return answer
            }
            answer = try await call(try await token(forceRefresh: true))
        }
        return answer
    }

    private func token(forceRefresh: Bool) async throws -> String {
        if !forceRefresh, let accessToken, expires > Date() { return accessToken }
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.refreshTokens() }
        refreshing = task
        defer { refreshing = nil }
        return try await task.value
    }

    private func refreshTokens() async throws -> String {
        guard let login = store.load(instance) else { throw InstanceError.notLoggedIn(instance) }
        let tokens: OAuthTokens
        do {
            tokens = try await PeerTubeLogin.refresh(login)
        } catch let error as InstanceError where error.code == "invalid_grant" || error.code == "invalid_client" {
            throw InstanceError(status: error.status, code: "invalid_grant",
                                detail: "the login to \(instance) is no longer valid (\(error.detail)): run `sluice login` again")
        }
        var renewed = login
        renewed.refreshToken = tokens.refreshToken
        renewed.refreshExpires = tokens.refreshExpiresIn.map { Date().addingTimeInterval($0) }
        try store.save(renewed)
        accessToken = tokens.accessToken
        // A minute's margin: a request sent just before expiry is not refused mid-upload.
        expires = Date().addingTimeInterval(max(tokens.expiresIn - 60, tokens.expiresIn / 2))
        return tokens.accessToken
    }
}

extension InstanceError {
    public static func notLoggedIn(_ instance: String) -> InstanceError {
        InstanceError(status: nil, code: "not_logged_in", detail: "not logged in to \(instance): run `sluice login --url \(instance)` first")
    }

    /// The account cannot be used until someone logs in again (wrong password, revoked or
    /// expired refresh token, blocked account): the whole queue waits rather than fail file by file.
    public var needsLogin: Bool {
        status == 401 || ["invalid_grant", "not_logged_in", "account_blocked", "access_denied", "missing_two_factor"].contains(code ?? "")
    }

    /// The user's video quota (total or daily) would be exceeded.
    public var isQuotaReached: Bool { code == "quota_reached" }

    /// The instance could not be reached or failed on its side: worth trying again later.
    public var isTransient: Bool { status == nil || status == 429 || (status ?? 0) >= 500 }
}
