import Foundation

/// The REST side of the test instance: users, OAuth tokens, channels, resumable uploads and
/// videos, with the faults a publishing client must survive.
struct FakeAccounts: Sendable {
    struct Upload: Sendable {
        var user: String
        var size: Int64
        var fields: [String: String]
        var file: URL
        var written: Int64 = 0
    }

    struct Video: Sendable {
        var id: Int
        var uuid: String
        var shortUUID: String
        var user: String
        var channelID: Int
        var fields: [String: String]
        var tags: [String]
        var inputFilename: String
        var size: Int64
        var createdAt: Date
        var file: URL
        var thumbnails = 0
    }

    static let clientID = "fake-client-id"
    static let clientSecret = "fake-client-secret"

    var passwords: [String: String] = [:]
    var otp: [String: String] = [:]
    /// access token -> (user, expiry).
    var access: [String: (user: String, expires: Date)] = [:]
    /// refresh token -> user.
    var refresh: [String: String] = [:]
    /// Seconds an access token lives (a short one makes a publication refresh mid-run).
    var accessLifetime: TimeInterval = 86400
    /// channel name -> (id, owner).
    var channels: [String: (id: Int, owner: String)] = [:]
    /// Bytes a user may hold; -1 unlimited.
    var quota: Int64 = -1
    var uploads: [String: Upload] = [:]
    var videos: [Video] = []
    var logins = 0
    var refreshes = 0
    var refusedRefreshes = 0
    /// The next chunks write half their bytes and answer 500, as a connection dropped mid-chunk.
    var cutChunks = 0
    /// The next chunk PUTs answer 500 without writing.
    var failingChunks = 0
    /// The upload's last answer is lost after the video was made (500 instead of 200).
    var losesFinalAnswer = false
    var chunkRequests = 0
    /// What the job chain of each new video looks like (the test knows its media).
    var chain: (top: Int, fps: Int, lower: [(resolution: Int, fps: Int)])?
    /// The chain of an upload by its file name, where it differs from `chain`.
    var chains: [String: (top: Int, fps: Int, lower: [(resolution: Int, fps: Int)])] = [:]

    mutating func addUser(_ name: String, password: String) {
        passwords[name] = password
        channels["\(name)_channel"] = (channels.count + 1, name)
    }

    func user(bearer header: String?) -> (user: String?, expired: Bool) {
        guard let header, header.hasPrefix("Bearer ") else { return (nil, false) }
        guard let entry = access[String(header.dropFirst(7))] else { return (nil, true) }
        return entry.expires > Date() ? (entry.user, false) : (nil, true)
    }

    mutating func issueTokens(for user: String) -> [String: Any] {
        let accessToken = Self.token()
        let refreshToken = Self.token()
        access[accessToken] = (user, Date().addingTimeInterval(accessLifetime))
        refresh[refreshToken] = user
        return ["token_type": "Bearer", "access_token": accessToken, "refresh_token": refreshToken,
                "expires_in": Int(accessLifetime) - 1, "refresh_token_expires_in": 1209599]
    }

    mutating func revokeAll(of user: String) {
        access = access.filter { $0.value.user != user }
        refresh = refresh.filter { $0.value != user }
    }

    func used(by user: String) -> Int64 { videos.filter { $0.user == user }.map(\.size).reduce(0, +) }

    static func token() -> String {
        (0..<40).map { _ in String("0123456789abcdef".randomElement() ?? "0") }.joined()
    }
}
