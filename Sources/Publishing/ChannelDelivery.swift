import Foundation
import Jobs
import PeerTubeClient

/// `watch --publish` and `import --publish`: every job's package goes onto a channel through
/// the ``Publisher`` (its steps recorded, so a killed service resumes each upload), and the job
/// ends once the instance made the video (`wait: true`: once it says published).
public struct ChannelDelivery: JobDelivery {
    let publisher: Publisher
    let target: PublishTarget
    /// Where a job's relative name is found (the inbox); nil for absolute names (a library).
    let names: URL?

    public init(publisher: Publisher, target: PublishTarget, names: URL?) {
        self.publisher = publisher
        self.target = target
        self.names = names
    }

    public func ladder(for source: URL) async -> DeliveryLadder? {
        guard let config = await InstanceConfig.fetch(instance: target.instance),
              let ladder = try? Publisher.ladder(for: source, config: config) else { return nil }
        return DeliveryLadder(renditions: ladder.renditions, splitAudio: ladder.splitAudio)
    }

    public func deliver(source: URL, name: String, package: URL) async throws(DeliveryFailure) -> DeliveryReceipt {
        let original = names.map { URL(fileURLWithPath: name, relativeTo: $0).standardizedFileURL } ?? URL(fileURLWithPath: name)
        let publication: Publication
        do {
            publication = try await publisher.publish(source, to: target, original: original, package: package)
        } catch {
            switch error.kind {
            case .refused: throw DeliveryFailure(.refused, error.reason)
            case .needsLogin, .quotaReached: throw DeliveryFailure(.holdsQueue, error.reason)
            case .unreachable: throw DeliveryFailure(.later, error.reason)
            }
        }
        if publication.step == .failed {
            throw DeliveryFailure(.refused, publication.error ?? "the instance gave up on the video")
        }
        return DeliveryReceipt(url: publication.watchURL ?? "", state: publication.state ?? (publication.step == .published ? "Published" : "Uploaded"))
    }
}
