import Foundation
import PeerTubeClient
import Logging
import Transcoding

/// Sends `/update` for every job of a batch, right away and then every `interval`, with the
/// pass's progress as an integer percent. A 404 means the job was taken away (stalled, cancelled
/// by an admin): it is marked lost, and when every job is lost the pass is stopped. Beats go on
/// while results are uploaded, for each job until its own result is posted: a big upload must
/// not leave the jobs still waiting their turn to stall.
final class HeartbeatKeeper: @unchecked Sendable {
    private let batch: VideoBatch
    private let interval: TimeInterval
    private let logger: Logger
    private let allLost: @Sendable () -> Void
    private let lost = LockedValue(Set<String>())
    private let posted = LockedValue(Set<String>())
    private let fraction = LockedValue(0.0)
    private var task: Task<Void, Never>?

    init(batch: VideoBatch, interval: TimeInterval, logger: Logger, allLost: @escaping @Sendable () -> Void) {
        self.batch = batch
        self.interval = interval
        self.logger = logger
        self.allLost = allLost
    }

    var progress: Double {
        get { fraction.value }
        set { fraction.value = newValue }
    }

    func isLost(_ uuid: String) -> Bool { lost.value.contains(uuid) }

    func isSettled(_ uuid: String) -> Bool { posted.value.contains(uuid) }

    /// The job's result or error was posted: it needs no more updates.
    func settled(_ uuid: String) {
        posted.update { _ = $0.insert(uuid) }
    }

    /// One update now (before the download, as PeerTube expects), then one every `interval`.
    func start() async {
        await beat()
        task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if Task.isCancelled { return }
                await beat()
            }
        }
    }

    func stop() {
        task?.cancel()
    }

    func beat() async {
        let percent = Int((progress * 100).rounded(.down))
        for member in batch.members where !isLost(member.job.uuid) && !posted.value.contains(member.job.uuid) {
            do {
                try await RunnerAPI(instance: member.held.instance).update(member.held, progress: percent)
            } catch let error as InstanceError where error.status == 404 {
                lost.update { _ = $0.insert(member.job.uuid) }
                logger.warning("job taken away", metadata: ["job": "\(member.job.uuid)"])
            } catch {
                logger.warning("cannot update a job", metadata: ["job": "\(member.job.uuid)", "reason": "\(error)"])
            }
        }
        if batch.members.allSatisfy({ isLost($0.job.uuid) }) { allLost() }
    }
}
