/// Why a job could not be done, in the one line PeerTube's admin shows (`/error`'s message).
public struct JobFailure: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
