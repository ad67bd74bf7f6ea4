import Foundation

/// OAuth against an instance (peertube-upload-api.md §1): its one local client, the password
/// grant (with the two-factor header when the account asks for it), the refresh grant and the
/// revocation. Bodies are `application/x-www-form-urlencoded`, the only form PeerTube reads, and
/// the client credentials go in the body, never as HTTP Basic.
public enum PeerTubeLogin {
    /// The instance's public client id and secret (`GET /api/v1/oauth-clients/local`).
    public static func client(of instance: String) async throws -> (id: String, secret: String) {
        let answer = try await InstanceHTTP().get("\(InstanceURL.normalized(instance))/api/v1/oauth-clients/local")
        guard answer.isSuccess, let id = answer.json?["client_id"] as? String, let secret = answer.json?["client_secret"] as? String else {
            throw InstanceError.from(status: answer.status, body: answer.body)
        }
        return (id, secret)
    }

    /// The password grant. An account with two-factor authentication answers 401
    /// `missing_two_factor` until `otp` carries the current code.
    public static func password(instance: String, client: (id: String, secret: String), username: String, password: String,
                                otp: String? = nil) async throws -> OAuthTokens {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let otp { headers.append(("x-peertube-otp", otp)) }
        let form = formBody(["client_id": client.id, "client_secret": client.secret, "grant_type": "password",
                             "username": username, "password": password])
        return try await tokens(instance: instance, headers: headers, form: form)
    }

    /// The refresh grant: a new pair; the old access token stops working at once.
    public static func refresh(_ login: StoredLogin) async throws -> OAuthTokens {
        let form = formBody(["client_id": login.clientID, "client_secret": login.clientSecret, "grant_type": "refresh_token",
                             "refresh_token": login.refreshToken])
        return try await tokens(instance: login.instance, headers: [("Content-Type", "application/x-www-form-urlencoded")], form: form)
    }

    /// `POST /api/v1/users/revoke-token`: the pair is deleted on the instance.
    public static func revoke(instance: String, accessToken: String) async throws {
        let answer = try await InstanceHTTP().sendRetrying(.POST, "\(InstanceURL.normalized(instance))/api/v1/users/revoke-token",
                                                           headers: [("Authorization", "Bearer \(accessToken)")])
        guard answer.isSuccess else { throw InstanceError.from(status: answer.status, body: answer.body) }
    }

    private static func tokens(instance: String, headers: [(String, String)], form: Data) async throws -> OAuthTokens {
        let answer = try await InstanceHTTP().sendRetrying(.POST, "\(InstanceURL.normalized(instance))/api/v1/users/token",
                                                           headers: headers, body: form)
        guard answer.isSuccess else { throw InstanceError.from(status: answer.status, body: answer.body) }
        guard let tokens = OAuthTokens(json: answer.json) else {
            throw InstanceError(status: answer.status, code: nil, detail: "the instance's token answer has no tokens")
        }
        return tokens
    }

    /// `application/x-www-form-urlencoded`, every byte outside the unreserved set escaped.
    static func formBody(_ fields: [String: String]) -> Data {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let pairs = fields.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        return Data(pairs.joined(separator: "&").utf8)
    }
}
