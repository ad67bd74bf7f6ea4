import Foundation

/// The answer of `POST /api/v1/users/token` (password or refresh grant).
public struct OAuthTokens: Sendable {
    public var accessToken: String
    public var refreshToken: String
    public var expiresIn: TimeInterval
    public var refreshExpiresIn: TimeInterval?

    init?(json: [String: Any]?) {
        guard let json, let access = json["access_token"] as? String, let refresh = json["refresh_token"] as? String else { return nil }
        accessToken = access
        refreshToken = refresh
        expiresIn = (json["expires_in"] as? NSNumber)?.doubleValue ?? 3600
        refreshExpiresIn = (json["refresh_token_expires_in"] as? NSNumber)?.doubleValue
    }
}
