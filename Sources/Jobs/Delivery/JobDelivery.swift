import Foundation
import Ladder

/// Where a job's package goes once it is made, beyond the output folder: a PeerTube channel
/// (`watch --publish`, `import --publish`). The job layer knows only this protocol, so the
/// entry points share one pool whether they publish or not.
public protocol JobDelivery: Sendable {
    /// The renditions (and audio layout) the destination will ask for, so the package is made
    /// to answer them; nil for the pipeline's own ladder.
    func ladder(for source: URL) async -> DeliveryLadder?

    /// Delivers the package made from `source`; `name` is the file as its owner named it (its
    /// path below the inbox, or its path in the library), where its metadata file may be beside
    /// it. Safe to call again after any failure or a kill: it resumes and never delivers twice.
    func deliver(source: URL, name: String, package: URL) async throws(DeliveryFailure) -> DeliveryReceipt
}

/// The renditions a destination will ask for.
public struct DeliveryLadder: Sendable, Equatable {
    public var renditions: [RenditionRequest]
    public var splitAudio: Bool

    public init(renditions: [RenditionRequest], splitAudio: Bool) {
        self.renditions = renditions
        self.splitAudio = splitAudio
    }
}

/// Where a delivered video is and what the destination says of it.
public struct DeliveryReceipt: Sendable, Equatable {
    public var url: String
    public var state: String

    public init(url: String, state: String) {
        self.url = url
        self.state = state
    }
}

/// Why a delivery stopped, by what the queue should do.
public struct DeliveryFailure: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// This file will not be accepted as it is: it fails alone.
        case refused
        /// No file can go until a person acts (log in again, free quota): the queue holds.
        case holdsQueue
        /// The destination is unreachable or failing: the queue holds for a while, then tries again.
        case later
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}
