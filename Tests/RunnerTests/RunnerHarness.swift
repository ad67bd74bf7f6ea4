import Foundation
import Jobs
import Ladder
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
@testable import Runner
@testable import PeerTubeClient

/// Registered runners against a test instance, run as services until the test is done with them.
struct RunnerHarness {
    static let registrationToken = "ptrrt-0b5c1d2e-3f40-4a51-9b62-7c83d94e05f1"

    let states: [URL]
    var runner: any TranscodeRunner = EngineRunner()
    /// The job types the runners ask for (`--jobs`).
    var jobTypes = RunnerJob.Kind.allCases
    /// Seconds a pass may make no progress.
    var stallTimeout: TimeInterval = 120
    /// Seconds between polls while idle.
    var pollInterval: TimeInterval = 0.2
    /// Videos (or lives) made at once.
    var concurrency = 1
    /// Seconds a live's stream may be silent.
    var liveReadTimeout: TimeInterval = 10

    /// Registers `count` runners (each its own state folder) with the instance at `url`.
    static func register(_ count: Int, at url: String) async throws -> RunnerHarness {
        var states: [URL] = []
        for index in 0..<count {
            let state = try RunnerMedia.stateFolder()
            _ = try await RunnerRegistration(state: state, version: "0.1.0")
                .register(url: url, registrationToken: registrationToken, name: "sluice-\(index)", description: nil)
            states.append(state)
        }
        return RunnerHarness(states: states)
    }

    func configuration(_ state: URL) -> RunnerConfiguration {
        var configuration = RunnerConfiguration(state: state, pipeline: PipelineCatalog.builtIn("large")!)
        configuration.pollInterval = pollInterval
        configuration.heartbeat = 0.3
        configuration.jobTypes = jobTypes
        configuration.machineFaultPause = 0.3
        configuration.stallTimeout = stallTimeout
        configuration.concurrency = concurrency
        configuration.liveReadTimeout = liveReadTimeout
        return configuration
    }

    /// Runs the runners while `body` runs, then stops them as SIGTERM would and waits for them.
    func run(_ body: () async throws -> Void) async throws {
        var logger = Logger(label: "runner-test")
        logger.logLevel = ProcessInfo.processInfo.environment["SLUICE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let services = states.map { RunnerService(configuration: configuration($0), runner: runner, logger: logger) }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in services { group.addTask { try await service.run() } }
                try await body()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
