/// Why a publication stopped, sorted by what the user (or the queue) should do about it.
public struct PublishError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The file or its metadata will never be accepted as it is (bad media, a field PeerTube
        /// refuses, a file the instance refused): this file fails alone.
        case refused
        /// Nobody can publish until someone logs in again (wrong password, revoked token).
        case needsLogin
        /// The account's video quota is full: nothing more goes until space is made.
        case quotaReached
        /// The instance could not be reached or failed: the next run resumes where this stopped.
        case unreachable
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}
