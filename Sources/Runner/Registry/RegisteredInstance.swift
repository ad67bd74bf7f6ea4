import Foundation
import PeerTubeClient

/// One PeerTube instance this runner is registered with. The runner token is a credential: it
/// is kept only in the state folder's registry file (mode 0600) and never printed or logged.
public struct RegisteredInstance: Sendable, Codable, Equatable {
    /// The instance's base URL, e.g. `https://tube.example.org`, without a trailing slash.
    public var url: String
    /// The runner's name on that instance (unique there).
    public var name: String
    public var description: String?
    /// The runner's id on the instance, as `/register` returned it: opaque (PeerTube sends a
    /// number, other servers a UUID string, some none). Only the token matters.
    public var runnerID: String?
    /// `ptrt-…`: what every later call authenticates with.
    public var runnerToken: String
    public var registeredAt: Date

    public init(url: String, name: String, description: String?, runnerID: String?, runnerToken: String, registeredAt: Date) {
        self.url = url
        self.name = name
        self.description = description
        self.runnerID = runnerID
        self.runnerToken = runnerToken
        self.registeredAt = registeredAt
    }

    enum CodingKeys: String, CodingKey {
        case url, name, description, runnerID, runnerToken, registeredAt
    }

    /// Reads registries written before ids were opaque, where the id is a number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        runnerID = (try? container.decodeIfPresent(String.self, forKey: .runnerID))
            ?? (try? container.decodeIfPresent(Int.self, forKey: .runnerID)).flatMap { $0.map(String.init) }
        runnerToken = try container.decode(String.self, forKey: .runnerToken)
        registeredAt = try container.decode(Date.self, forKey: .registeredAt)
    }
}
