import Foundation

/// What `sluice login` keeps of a login: the instance, the account, the instance's public OAuth
/// client and the refresh token. The password is never kept, and the short-lived access token
/// lives only in memory.
public struct StoredLogin: Codable, Sendable, Equatable {
    public var instance: String
    public var username: String
    public var clientID: String
    public var clientSecret: String
    public var refreshToken: String
    /// When the refresh token stops working unless used (two weeks on 6.3, four on 8.2).
    public var refreshExpires: Date?

    public init(instance: String, username: String, clientID: String, clientSecret: String, refreshToken: String,
                refreshExpires: Date?) {
        self.instance = instance
        self.username = username
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.refreshExpires = refreshExpires
    }
}
