/// A job this runner accepted: its uuid and the tokens every call about it needs.
public struct HeldJob: Sendable, Codable, Equatable, Hashable {
    public var instance: String
    public var uuid: String
    public var runnerToken: String
    public var jobToken: String

    public init(instance: String, uuid: String, runnerToken: String, jobToken: String) {
        self.instance = instance
        self.uuid = uuid
        self.runnerToken = runnerToken
        self.jobToken = jobToken
    }

    public var credentials: [String: Any] { ["runnerToken": runnerToken, "jobToken": jobToken] }
}
