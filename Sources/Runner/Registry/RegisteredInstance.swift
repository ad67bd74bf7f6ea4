import Foundation

/// One PeerTube instance this runner is registered with. The runner token is a credential: it
/// is kept only in the state folder's registry file (mode 0600) and never printed or logged.
public struct RegisteredInstance: Sendable, Codable, Equatable {
    /// The instance's base URL, e.g. `https://tube.example.org`, without a trailing slash.
    public var url: String
    /// The runner's name on that instance (unique there).
    public var name: String
    public var description: String?
    /// The runner's id on the instance, as `/register` returned it.
    public var runnerID: Int
    /// `ptrt-…`: what every later call authenticates with.
    public var runnerToken: String
    public var registeredAt: Date

    public init(url: String, name: String, description: String?, runnerID: Int, runnerToken: String, registeredAt: Date) {
        self.url = url
        self.name = name
        self.description = description
        self.runnerID = runnerID
        self.runnerToken = runnerToken
        self.registeredAt = registeredAt
    }

    /// `https://Host/` and `https://host` name the same instance.
    public static func normalized(url: String) -> String {
        var value = url.trimmingCharacters(in: .whitespaces)
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }
}
