import Foundation
import PeerTubeClient
import Jobs
import Ladder
import Logging
import ServiceLifecycle
import Transcoding

/// `sluice runner serve`: takes jobs from every registered instance and makes all the jobs of a
/// video that are pending together from one download and one decode.
///
/// Polls `/jobs/request` (every `pollInterval` while idle, at once after a video is done),
/// accepts a video's jobs together, keeps each one alive with `/update`, posts each result or an
/// `/error` with the reason, and on shutdown gives held jobs back with `/abort`. Held jobs are
/// journaled, so after a crash they are aborted at the next start rather than left to stall.
public final class RunnerService: Service, @unchecked Sendable {
    private let configuration: RunnerConfiguration
    private let executor: BatchExecutor
    private let studio: StudioExecutor
    private let registry: RunnerRegistry
    private let journal: HeldJournal
    private let logger: Logger
    private let signal = WorkSignal()
    private let stopping = LockedValue(false)
    /// No jobs are taken before this time, after the machine failed one (see `machineFaultPause`).
    private let pausedUntil = LockedValue(Date.distantPast)
    private let running = LockedValue(0)
    private let active = LockedValue<[UUID: CancellationFlag]>([:])
    private let ready = ReadyOutputs()
    /// Packages of videos published from this state folder, which answer their jobs directly.
    private let prepared: PreparedPackages
    private let reporter: JobReporter
    private let monitor = JobMonitor()
    private let backoff: InstanceBackoff
    private let passNumbers = LockedValue<Int64>(0)
    /// The last listing left jobs because an upload from this state folder was finishing.
    private let deferredForUpload = LockedValue(false)
    public let statistics: RunnerStatistics

    public init(configuration: RunnerConfiguration, runner: any TranscodeRunner, logger: Logger,
                metrics: RunnerMetrics = RunnerMetrics()) {
        self.configuration = configuration
        statistics = RunnerStatistics(metrics: metrics, file: RunnerStatistics.statusFile(state: configuration.state))
        executor = BatchExecutor(runner: runner, configuration: configuration, statistics: statistics, monitor: monitor)
        studio = StudioExecutor(batches: executor)
        registry = RunnerRegistry(state: configuration.state)
        journal = HeldJournal(state: configuration.state)
        prepared = PreparedPackages(state: configuration.state)
        reporter = JobReporter(statistics: statistics, journal: journal, logger: logger)
        backoff = InstanceBackoff(base: configuration.pollInterval)
        self.logger = logger
    }

    public func run() async throws {
        await giveBackLeftovers()
        try? FileManager.default.removeItem(at: configuration.workFolder)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.watchStalls() }
                if configuration.notifications { group.addTask { await self.listenForJobs() } }
                while !stopping.value && !Task.isCancelled {
                    ready.expire()
                    // Ready siblings are posted even while every slot is busy with another video.
                    let room = configuration.concurrency - running.value
                    let polling = pausedUntil.value <= Date() && (room > 0 || !ready.isEmpty)
                    let batches = polling ? await takeBatches(limit: room) { delivery in
                        // Uploads use no core: they run beside the passes, outside the slots.
                        group.addTask { await self.deliver(delivery) }
                    } : []
                    for batch in batches {
                        running.update { $0 += 1 }
                        let slot = SlotRelease {
                            self.running.update { $0 -= 1 }
                            self.signal.signal()
                        }
                        group.addTask {
                            await self.process(batch, slot: slot)
                            slot.release()
                        }
                    }
                    // A job left while one of this folder's uploads finishes is looked at again soon:
                    // its video is recorded a moment later, and nothing else would say so.
                    await signal.wait(timeout: deferredForUpload.value ? .milliseconds(250) : .seconds(configuration.pollInterval))
                }
                for flag in active.value.values { flag.cancel() }
                await group.waitForAll()
                ready.expire(all: true)
            }
        } onGracefulShutdown: {
            self.stopping.value = true
            for flag in self.active.value.values { flag.cancel() }
            self.signal.signal()
        }
    }

    /// Keeps a socket.io connection to each registered instance and asks for jobs as soon as one
    /// says some are available (polling goes on beside it, for servers without sockets).
    private func listenForJobs() async {
        let instances = (try? registry.instances()) ?? []
        let (signal, statistics, stopping) = (self.signal, self.statistics, self.stopping)
        await withTaskGroup(of: Void.self) { group in
            for instance in instances {
                let notifications = RunnerNotifications(instance: instance.url, runnerToken: instance.runnerToken, logger: logger)
                group.addTask {
                    await notifications.run(onJobs: { signal.signal() }, onLink: { up in statistics.socket(instance.url, up) })
                }
            }
            // The sockets live as long as the service's loop; it stops by this flag, not by cancellation.
            while !stopping.value && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(250)) }
            group.cancelAll()
        }
    }

    /// Ends passes whose progress stopped (a hang inside FFmpeg); they fail with that reason.
    private func watchStalls() async {
        let (logger, timeout, stopping) = (self.logger, configuration.stallTimeout, self.stopping)
        await monitor.watchStalls(timeout: timeout, while: { !stopping.value }) { id in
            logger.warning("pass stalled, ending it", metadata: ["pass": "\(id)", "stallTimeout": "\(Int(timeout))s"])
        }
    }

    /// Aborts the jobs a killed runner left held, so they go back to pending at once.
    private func giveBackLeftovers() async {
        for held in journal.all() {
            do {
                try await RunnerAPI(instance: held.instance).abort(held, reason: "Runner restarted")
                logger.info("gave back a job held before a restart", metadata: ["job": "\(held.uuid)"])
            } catch {
                logger.info("a job held before a restart was already gone", metadata: ["job": "\(held.uuid)", "reason": "\(error)"])
            }
            journal.remove(held)
        }
    }

    /// Lists pending jobs on each instance, accepts those an earlier pass made ahead or a
    /// publication prepared (handed to `deliver` to post) and up to `limit` videos' worth of the others.
    private func takeBatches(limit: Int, deliver: (ReadyDelivery) -> Void) async -> [VideoBatch] {
        var batches: [VideoBatch] = []
        deferredForUpload.value = false
        let instances = (try? registry.instances()) ?? []
        for instance in instances where (batches.count < limit || !ready.isEmpty) && !stopping.value {
            let api = RunnerAPI(instance: instance.url)
            guard var wanted = await pendingJobs(on: instance, api: api) else { continue }
            let made = wanted.compactMap { job in
                (ready.result(for: job, instance: instance.url) ?? prepared.result(for: job, instance: instance.url)).map { (job: job, result: $0) }
            }
            let deferred = prepared.mayBeFinishing(wanted, instance: instance.url)
            if !deferred.isEmpty { deferredForUpload.value = true }
            wanted.removeAll { job in
                made.contains { $0.job.uuid == job.uuid } || ready.isPromised(job, instance: instance.url)
                    || deferred.contains { $0.uuid == job.uuid }
            }
            if !made.isEmpty && !stopping.value, let first = made.first,
               let batch = await accept(made.map(\.job), split: false, video: first.job.videoUUID, from: instance, api: api) {
                deliver(ReadyDelivery(batch: batch, made: made))
            }
            for group in VideoBatch.group(wanted) where batches.count < limit {
                if let batch = await accept(group.jobs, split: group.split, video: group.key, from: instance, api: api) {
                    batches.append(batch)
                }
            }
        }
        return batches
    }

    /// The instance's pending jobs of the types this runner makes (a 6.3 instance lists every
    /// type); nil when it cannot be reached.
    private func pendingJobs(on instance: RegisteredInstance, api: RunnerAPI) async -> [RunnerJob]? {
        guard backoff.mayPoll(instance.url) else { return nil }
        do {
            let listed = try await api.requestJobs(runnerToken: instance.runnerToken, jobTypes: configuration.jobTypes.map(\.rawValue),
                                                   version: RunnerVersion.current)
            statistics.reached(instance.url, true)
            if backoff.answered(instance.url) { logger.info("instance reachable again", metadata: ["instance": "\(instance.url)"]) }
            return listed.filter { configuration.jobTypes.contains($0.kind) }
        } catch {
            statistics.reached(instance.url, false)
            let (startsOutage, retryIn) = backoff.failed(instance.url)
            logger.log(level: startsOutage ? .warning : .debug, "cannot list jobs; polling this instance less often until it answers",
                       metadata: ["instance": "\(instance.url)", "reason": "\(error)", "retryIn": "\(Int(retryIn))s"])
            return nil
        }
    }

    /// Accepts each job of one video; another runner may win some of them (400 or 409).
    private func accept(_ jobs: [RunnerJob], split: Bool, video: String, from instance: RegisteredInstance,
                        api: RunnerAPI) async -> VideoBatch? {
        var members: [VideoBatch.Member] = []
        for job in jobs {
            do {
                let token = try await api.accept(job, runnerToken: instance.runnerToken)
                let held = HeldJob(instance: instance.url, uuid: job.uuid, runnerToken: instance.runnerToken, jobToken: token)
                journal.add([held])
                members.append(VideoBatch.Member(job: job, held: held))
            } catch {
                logger.info("job taken by another runner", metadata: ["job": "\(job.uuid)", "reason": "\(error)"])
            }
        }
        guard !members.isEmpty else { return nil }
        logger.info("accepted", metadata: ["video": "\(video)", "jobs": "\(members.map { "\($0.job.kind.rawValue) \($0.job.resolution)p" })"])
        return VideoBatch(videoUUID: video, splitAudio: split, members: members)
    }

    /// Posts jobs whose renditions an optimize pass already made (accepted together, before
    /// another runner could take them) one by one, each kept alive until its turn.
    private func deliver(_ delivery: ReadyDelivery) async {
        let keeper = HeartbeatKeeper(batch: delivery.batch, interval: configuration.heartbeat, logger: logger) {}
        keeper.progress = 1
        await keeper.start()
        defer { keeper.stop() }
        for member in JobReporter.postingOrder(delivery.batch.members) where !keeper.isLost(member.job.uuid) {
            guard let result = delivery.result(for: member.job) else { continue }
            if await reporter.post(member, from: result, seconds: 0, duration: result.duration) {
                ready.delivered(member.job, instance: member.held.instance)
                if let removed = prepared.answered(member.job, instance: member.held.instance) {
                    logger.info("every job answered from the prepared package: removed it", metadata: ["package": "\(removed.path)"])
                }
            }
            keeper.settled(member.job.uuid)
        }
        for member in delivery.batch.members where keeper.isLost(member.job.uuid) { journal.remove(member.held) }
    }

    /// What the pass makes: the batch's own renditions or, for an optimize job on an instance that
    /// publishes its config, also every job the instance will queue after it.
    private func plan(_ batch: VideoBatch) async -> PassPlan {
        let own = PassPlan(renditions: batch.requestedRenditions, splitAudio: batch.splitAudio, ahead: false)
        let transcodes = batch.members.filter { $0.job.kind != .storyboard }
        guard transcodes.count == 1, let optimize = transcodes.first?.job, optimize.kind == .webVideo,
              optimize.resolution > 0, !batch.splitAudio,
              let config = await InstanceConfig.fetch(instance: transcodes[0].held.instance),
              let expected = LadderPrediction.jobs(after: optimize, config: config), !expected.isEmpty else {
            return own
        }
        return PassPlan(renditions: LadderPrediction.renditions(for: optimize, expected: expected),
                        splitAudio: config.hlsEnabled && config.splitAudio, ahead: true, expected: expected)
    }

    /// The batch's passes, then each job's result (the top HLS rung first: it publishes the
    /// video). A predicted optimize pass is split so that what publishes the video is made and
    /// posted first (see ``PassPlan/publishingFirst(top:)``). The slot is released when the last
    /// pass ends, so the next video's pass runs while these results upload.
    private func process(_ batch: VideoBatch, slot: SlotRelease) async {
        if let live = batch.liveMember { return await relay(live) }
        let id = UUID()
        let passID = passNumbers.update { $0 += 1; return $0 }
        let flag = CancellationFlag()
        active.update { $0[id] = flag }
        let keeper = HeartbeatKeeper(batch: batch, interval: configuration.heartbeat, logger: logger) { flag.cancel() }
        let folder = configuration.workFolder.appendingPathComponent(id.uuidString)
        let started = Date()
        var keepFolder = false
        defer {
            keeper.stop()
            active.update { $0[id] = nil }
            if !keepFolder { try? FileManager.default.removeItem(at: folder) }
        }
        await keeper.start()
        let instance = batch.members.first?.held.instance ?? ""
        var postings: [Task<Void, Never>] = []
        do {
            if let member = batch.studioMember {
                try await edit(member, of: batch, folder: folder, passID: passID, cancellation: flag, keeper: keeper, slot: slot)
            } else {
                keepFolder = try await transcode(batch, folder: folder, passID: passID, cancellation: flag, keeper: keeper, slot: slot,
                                                 started: started, postings: &postings)
            }
            for posting in postings { await posting.value }
            keeper.stop()
            for member in batch.members where keeper.isLost(member.job.uuid) { journal.remove(member.held) }
            signal.signal()
        } catch {
            ready.forget(instance: instance, videoUUID: batch.videoUUID)
            slot.release()
            for posting in postings { await posting.value }  // what was made is posted; the rest fails
            keeper.stop()
            await giveUp(batch, keeper: keeper, error: error, cancelled: (error as? JobFailure)?.isStall != true && flag.isCancelled)
        }
    }

    /// Makes the batch's passes into `folder`, posting each pass's results as it ends (`postings`);
    /// true when a pass made results ahead for jobs not queued yet (the folder must stay).
    private func transcode(_ batch: VideoBatch, folder: URL, passID: Int64, cancellation: CancellationFlag, keeper: HeartbeatKeeper,
                           slot: SlotRelease, started: Date, postings: inout [Task<Void, Never>]) async throws -> Bool {
        let instance = batch.members.first?.held.instance ?? ""
        let passes = await passes(for: batch)
        let download = try await executor.download(batch, into: folder)
        defer { download.remove() }
        var input = download
        var madeAhead = false
        if passes.count > 1 { ready.promise(instance: instance, videoUUID: batch.videoUUID, jobs: passes[1].expected) }
        for (index, pass) in passes.enumerated() {
            let output = folder.appendingPathComponent("pass-\(index)")
            let result = try await executor.transcode(batch, pass: pass, input: input, output: output, passID: passID,
                                                      cancellation: cancellation) { keeper.progress = $0 }
            if pass.ahead {
                // Stored before the optimize result is posted: its success releases the siblings.
                // Without audio in the source, video-only rungs are what muxed jobs ask for too.
                let split = pass.splitAudio && result.renditions.contains { $0.resolution == 0 }
                ready.store(instance: instance, videoUUID: batch.videoUUID, result: result, splitAudio: split,
                            awaiting: pass.expected, folder: output)
                madeAhead = true
            }
            let last = index == passes.count - 1
            if last { slot.release() } else { input = Self.input(after: result, download: download) }
            let members = batch.members.filter { last || $0.job.kind != .storyboard }
            // The publishing pass's results upload while the rest of the ladder is made (uploads use no core).
            postings.append(Task { await self.post(members, of: batch, from: result, keeper: keeper, started: started) })
        }
        return madeAhead
    }

    /// A studio job: every task applied in one pass, then the edited video posted (the instance
    /// then queues a new transcoding chain for it, which this runner takes like any other).
    private func edit(_ member: VideoBatch.Member, of batch: VideoBatch, folder: URL, passID: Int64, cancellation: CancellationFlag,
                      keeper: HeartbeatKeeper, slot: SlotRelease) async throws {
        let started = Date()
        let result = try await studio.make(member, batch: batch, folder: folder, passID: passID, cancellation: cancellation) {
            keeper.progress = $0
        }
        slot.release()
        logger.info("edited", metadata: ["job": "\(member.job.uuid)", "tasks": "\(member.job.studioTasks.map(\.name))",
                                         "seconds": "\(Int(result.duration))", "expected": "\(Int(result.expectedDuration))"])
        await reporter.post(member, seconds: Date().timeIntervalSince(started), duration: result.duration) {
            try JobOutputs.studio(result, for: member.job)
        }
        keeper.settled(member.job.uuid)
    }

    /// A live, relayed for the stream's whole length in one slot. Its chunk updates are its
    /// heartbeat (PeerTube refuses a JSON `/update` for a live), so no keeper runs; a child that
    /// stops writing chunks (hung inside FFmpeg) is ended by the stall watchdog.
    private func relay(_ member: VideoBatch.Member) async {
        let id = UUID()
        let passID = passNumbers.update { $0 += 1; return $0 }
        let flag = CancellationFlag()
        active.update { $0[id] = flag }
        let folder = configuration.workFolder.appendingPathComponent(id.uuidString)
        let started = Date()
        let monitor = self.monitor
        monitor.started(passID, cancellation: flag)
        defer {
            monitor.finished(passID)
            active.update { $0[id] = nil }
            try? FileManager.default.removeItem(at: folder)
        }
        logger.info("live started", metadata: ["job": "\(member.job.uuid)",
                                               "resolutions": "\(member.job.live?.renditions.map(\.resolution) ?? [])"])
        let relay = LiveRelay(member: member, folder: folder, runner: executor.runner, readTimeout: configuration.liveReadTimeout,
                              logger: logger)
        var (ending, bytesUp) = await relay.run(cancellation: flag) { monitor.progressed(passID, $0) }
        if monitor.wasStalled(passID) { ending = .failed("stalled: no chunk for \(Int(configuration.stallTimeout)) s") }
        await reporter.end(member, live: ending, seconds: Date().timeIntervalSince(started), bytesUp: bytesUp)
        signal.signal()
    }

    /// Posts each member's result in PeerTube's publishing order, once each.
    private func post(_ members: [VideoBatch.Member], of batch: VideoBatch, from result: TranscodeResult, keeper: HeartbeatKeeper,
                      started: Date) async {
        for member in JobReporter.postingOrder(members) where !keeper.isLost(member.job.uuid) && !keeper.isSettled(member.job.uuid) {
            await reporter.post(member, from: result, seconds: Date().timeIntervalSince(started), duration: result.duration)
            keeper.settled(member.job.uuid)
        }
    }

    /// What the rest of a ladder is made from after its publishing pass: the source again when
    /// the top rung was copied (that pass decoded nothing), else the top rung the pass encoded,
    /// as PeerTube makes its lower rungs from the optimized file: a 1080p rung at PeerTube's
    /// bitrate decodes in a fraction of the time of a phone's 15 Mb/s original.
    static func input(after result: TranscodeResult, download: BatchExecutor.Input) -> BatchExecutor.Input {
        guard let top = result.renditions.filter({ $0.resolution > 0 }).max(by: { $0.resolution < $1.resolution }),
              top.copied != true else { return download }
        let folder = URL(fileURLWithPath: result.directory)
        let audio = result.renditions.first { $0.resolution == 0 }.map { folder.appendingPathComponent($0.file) }
        return BatchExecutor.Input(video: folder.appendingPathComponent(top.file), separateAudio: audio, preview: download.preview,
                                   keepsFiles: true)
    }

    /// One pass, or for a predicted optimize pass the publishing pass and then the rest.
    private func passes(for batch: VideoBatch) async -> [PassPlan] {
        var pass = await plan(batch)
        pass.images = batch.storyboard != nil
        guard let optimize = batch.members.first(where: { $0.job.kind == .webVideo })?.job,
              let split = pass.publishingFirst(top: RenditionRequest(resolution: optimize.resolution, fps: optimize.fps)) else {
            return [pass]
        }
        return [split.first, split.rest]
    }

    /// The pass failed or was stopped: `/error` with the reason; `/abort` when the runner is
    /// stopping, or when its own machine failed (then it takes no job for a while).
    private func giveUp(_ batch: VideoBatch, keeper: HeartbeatKeeper, error: Error, cancelled: Bool) async {
        let failure = error as? JobFailure
        let machineFault = !cancelled && failure?.isMachineFault == true
        if machineFault {
            pausedUntil.value = Date().addingTimeInterval(configuration.machineFaultPause)
            logger.error("this machine cannot work: jobs given back, none taken for a while",
                         metadata: ["reason": "\(failure?.description ?? "")", "pause": "\(Int(configuration.machineFaultPause))s"])
        }
        // A member already posted (the optimize result of a publishing pass) is done whatever came after.
        for member in batch.members where !keeper.isLost(member.job.uuid) && !keeper.isSettled(member.job.uuid) {
            if cancelled || machineFault {
                await reporter.giveBack(member, reason: cancelled ? "Runner stopped" : "Runner cannot work: \(failure?.description ?? "")")
            } else {
                await reporter.report(member, message: failure?.description ?? "\(error)")
            }
            journal.remove(member.held)
        }
        for member in batch.members where keeper.isLost(member.job.uuid) { journal.remove(member.held) }
    }
}
