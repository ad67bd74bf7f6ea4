import Foundation
@testable import Ingest
@testable import Jobs
import Ladder
import Logging
import Packaging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import Transcoding

/// The watch-folder service and the library import with faulty inputs among good ones: the
/// service never dies, each faulty input ends quarantined (or failed) with a reason naming what
/// happened, and every good file is published exactly once on its first attempt.
@Suite struct ServiceFaultTests {
    let root = FaultLab.folder.appendingPathComponent("service-\(UUID())")

    /// A watch service in this test's folder: no settle time, no HTTP, two attempts, no backoff.
    private func watchConfiguration() -> IngestConfiguration {
        var configuration = IngestConfiguration()
        configuration.inbox = root.appendingPathComponent("inbox")
        configuration.output = root.appendingPathComponent("out")
        configuration.state = root.appendingPathComponent("state")
        configuration.settle = 0
        configuration.http = nil
        configuration.retryBackoff = 0
        configuration.maxAttempts = 2
        return configuration
    }

    @Test(.timeLimit(.minutes(3))) func faultyUploadsAreQuarantinedAndGoodOnesPublishedOnce() async throws {
        var configuration = watchConfiguration()
        configuration.workers = 2
        configuration.stallTimeout = 2
        let names = ["good-1.mp4", "clip-CRASHME.mp4", "good-2.mp4", "clip-HANGME.mp4", "clip-PROBECRASH.mp4", "good-3.mp4",
                     "clip-DECODEHANG.mp4"]
        for (seed, name) in names.enumerated() { try FaultLab.clip(name, in: configuration.inbox, seed: seed + 10) }
        let parts = try IngestService.assemble(configuration: configuration, pipeline: PipelineCatalog.builtIn("small")!,
                                               logger: Logger(label: "test"), runner: try FaultLab.runner())
        parts.watcher.scanOnce()
        #expect(try parts.store.jobs().count == names.count)

        try await runUntilEveryJobEnds(parts)

        let jobs = Dictionary(uniqueKeysWithValues: try parts.store.jobs().map { ($0.file, $0) })
        for good in ["good-1.mp4", "good-2.mp4", "good-3.mp4"] {
            let job = try #require(jobs[good])
            #expect(job.state == .done, "\(good): \(job.reason ?? "")")
            #expect(job.attempts == 1)
            let directory = try #require(job.outputDirectory)
            let manifest = try PackageManifest.decode(Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json")))
            // Named after the upload, not the service's work file (`1a2b3c4d__good-1.mp4`).
            let stem = (good as NSString).deletingPathExtension
            #expect(manifest.renditions.allSatisfy { $0.magnet?.contains("&dn=\(stem)&") == true || $0.magnet?.hasSuffix("&dn=\(stem)") == true })
        }
        let packages = try FileManager.default.contentsOfDirectory(atPath: configuration.output.path)
        #expect(packages.count == 3)
        let expectations = ["clip-CRASHME.mp4": "the transcoder crashed (signal 11, SIGSEGV) at 00:00:",
                            "clip-PROBECRASH.mp4": "the transcoder crashed (signal 11, SIGSEGV)",
                            "clip-HANGME.mp4": "stalled: no progress for 2 s at 00:00:",
                            "clip-DECODEHANG.mp4": "stalled: no progress for 2 s at 00:00:"]
        for (name, reason) in expectations {
            let job = try #require(jobs[name])
            #expect(job.state == .quarantined)
            #expect(job.attempts == 2)
            #expect(job.reason?.hasPrefix(reason) == true, "\(name): \(job.reason ?? "")")
            let quarantined = parts.folders.quarantine.appendingPathComponent(name).path
            #expect(FileManager.default.fileExists(atPath: quarantined))
            #expect(FileManager.default.fileExists(atPath: quarantined + ".reason.txt"))
        }
    }

    /// With a destination (`watch --publish`), the destination's ladder is worked out from a probe
    /// in the service's own process: a file that crashes FFmpeg's probe must be checked in a
    /// child first, and fail there, before the service ever probes it.
    @Test(.timeLimit(.minutes(3))) func aFileThatCrashesTheProbeNeverReachesTheServicesOwnProbe() async throws {
        let configuration = watchConfiguration()
        for (seed, name) in ["good.mp4", "clip-PROBECRASH.mp4"].enumerated() { try FaultLab.clip(name, in: configuration.inbox, seed: seed + 40) }
        let delivery = RecordingDelivery()
        let parts = try IngestService.assemble(configuration: configuration, pipeline: PipelineCatalog.builtIn("small")!,
                                               logger: Logger(label: "test"), runner: try FaultLab.runner(), delivery: delivery)
        parts.watcher.scanOnce()

        try await runUntilEveryJobEnds(parts)

        let jobs = Dictionary(uniqueKeysWithValues: try parts.store.jobs().map { ($0.file, $0) })
        #expect(jobs["good.mp4"]?.state == .done, "\(jobs["good.mp4"]?.reason ?? "")")
        let crashing = try #require(jobs["clip-PROBECRASH.mp4"])
        #expect(crashing.state == .quarantined)
        #expect(crashing.reason?.hasPrefix("the transcoder crashed (signal 11, SIGSEGV)") == true, "\(crashing.reason ?? "")")
        #expect(delivery.laddersAskedFor.count == 1 && !delivery.laddersAskedFor.contains { $0.contains("PROBECRASH") },
                "asked for: \(delivery.laddersAskedFor)")
        #expect(delivery.deliveredNames == ["good.mp4"])
    }

    /// A file that hangs FFmpeg mid-transcode (reading, or inside the decoder) must cost one job,
    /// never the night: the import runs its jobs through the same pool as `watch`, under the
    /// stall watchdog and with the watch service's settings (attempts, backoff, stall timeout).
    /// The import test before this one had only a hang in the probe, which the check's own
    /// silence limit ends; nothing ended a hang after the probe.
    @Test(.timeLimit(.minutes(3))) func anImportReportsFaultyFilesAsFailedAndImportsTheRest() async throws {
        let library = root.appendingPathComponent("library")
        let names = ["good.mp4", "clip-CRASHME.mp4", "clip-PROBECRASH.mkv", "clip-PROBEHANG.dat", "clip-HANGME.mp4",
                     "clip-DECODEHANG.mp4", "good-2.mp4"]
        for (seed, name) in names.enumerated() { try FaultLab.clip(name, in: library, seed: seed + 20) }
        let output = root.appendingPathComponent("imported")
        var options = ImportOptions(library: library, output: output, workers: 2)
        options.policy.maxAttempts = 2
        options.policy.stallTimeout = 2
        options.policy.retryBackoff = 0.5
        let importer = LibraryImport(options: options, pipeline: PipelineCatalog.builtIn("small")!, logger: Logger(label: "test"),
                                     runner: try FaultLab.runner())
        let report = try await importer.run()
        let entries = Dictionary(uniqueKeysWithValues: report.entries.map { (URL(fileURLWithPath: $0.file).lastPathComponent, $0) })
        #expect(entries["good.mp4"]?.status == "done")
        #expect(entries["good-2.mp4"]?.status == "done")
        let reasons = ["clip-CRASHME.mp4": "the transcoder crashed (signal 11, SIGSEGV) at 00:00:",
                       "clip-PROBECRASH.mkv": "the transcoder crashed (signal 11, SIGSEGV)",
                       "clip-PROBEHANG.dat": "stalled: no answer for 3 s",
                       "clip-HANGME.mp4": "stalled: no progress for 2 s at 00:00:",
                       "clip-DECODEHANG.mp4": "stalled: no progress for 2 s at 00:00:"]
        for (name, reason) in reasons {
            #expect(entries[name]?.status == "failed")
            #expect(entries[name]?.error?.hasPrefix(reason) == true, "\(name): \(entries[name]?.error ?? "")")
        }
        #expect(report.counts == ["done": 2, "failed": 5])
        let store = try JobStore(path: output.appendingPathComponent(".state/sluice.sqlite").path)
        let attempts = Dictionary(uniqueKeysWithValues: try store.jobs().map { (URL(fileURLWithPath: $0.file).lastPathComponent, $0.attempts) })
        #expect(attempts["clip-HANGME.mp4"] == 2 && attempts["clip-DECODEHANG.mp4"] == 2, "maxAttempts honoured: \(attempts)")
        #expect(attempts["good.mp4"] == 1)
    }

    /// Runs the pool (with its stall watchdog) until no job is queued or running, then shuts it
    /// down gracefully, as SIGTERM would. Waits on attempt ends, never on a clock.
    private func runUntilEveryJobEnds(_ parts: IngestService.Parts) async throws {
        let ends = parts.monitor.attemptEnds()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await parts.pool.run() }
                for await _ in ends where try parts.store.jobs().allSatisfy(\.state.isTerminal) { break }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
