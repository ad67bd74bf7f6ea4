import Foundation
import Transcoding

/// Runs every job in a child process of its own: the `sluice` executable, forked for the job by
/// a `sluice job-spawner` kept running (or started as `sluice job-worker`), speaking the
/// line-delimited JSON of docs/worker-protocol.md.
///
/// Whatever FFmpeg does with an input (crash, hang, huge allocation) ends that child only: the
/// caller gets a `TranscodeError` naming what happened, and the service keeps running. The
/// child dies with the service (parent-death signal), so a restarted service never finds an
/// orphan still writing.
public struct IsolatedRunner: TranscodeRunner {
    /// The `sluice` executable to start.
    public var executable: URL
    public var limits: ProcessLimits
    /// Added to the child's environment (the tests' fault-injection shim comes this way).
    public var environment: [String: String]
    /// Seconds a child asked to stop gets before SIGKILL.
    public var terminationGrace: TimeInterval = 5
    /// Seconds a check (probe) may stay silent before it counts as hung.
    public var checkTimeout: TimeInterval = 60
    /// Fork each job's process from a spawner kept running (~4 ms) rather than start the
    /// executable again (65 to 90 ms of loading FFmpeg's libraries).
    public var usesForkServer = true
    private let spawner = SpawnerHandle()

    public init(executable: URL = IsolatedRunner.currentExecutable, limits: ProcessLimits, environment: [String: String] = [:]) {
        self.executable = executable
        self.limits = limits
        self.environment = environment
    }

    /// This process's own executable.
    public static var currentExecutable: URL {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path)
    }

    public func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                          progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        let request = WorkerRequest(transcode: file, options: options, processLimits: limits)
        let supervisor = supervisor(silenceLimit: nil)
        do {
            let message = try await DedicatedThread.run(named: "sluice-job", onCancel: { cancellation.cancel() }) {
                try supervisor.run(request, cancellation: cancellation, progress: progress)
            }
            guard let result = message.result else {
                throw TranscodeError(.internalFailure, file: file.path, reason: "the transcoder ended without a result")
            }
            return result
        } catch {
            // A child ended by force cannot clean up after itself.
            if let uuid = options.videoUUID?.uuidString.lowercased() {
                let work = options.outputDirectory.appendingPathComponent("\(Transcoder.temporaryPrefix)\(uuid).tmp")
                try? FileManager.default.removeItem(at: work)
            }
            throw error
        }
    }

    /// A studio edit in a child of its own; its unfinished output goes with it.
    public func edit(_ options: StudioEditOptions, cancellation: CancellationFlag,
                     progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> StudioEditResult {
        let request = WorkerRequest(edit: options, processLimits: limits)
        let supervisor = supervisor(silenceLimit: nil)
        defer { try? FileManager.default.removeItem(atPath: options.output + ".part") }
        let message = try await DedicatedThread.run(named: "sluice-edit", onCancel: { cancellation.cancel() }) {
            try supervisor.run(request, cancellation: cancellation, progress: progress)
        }
        guard let result = message.edited else {
            throw TranscodeError(.internalFailure, file: options.input, reason: "the editor ended without a result")
        }
        return result
    }

    /// A live in a child of its own for the stream's whole length: a crash in its decoder ends
    /// that live, never the runner.
    public func live(_ options: LiveOptions, cancellation: CancellationFlag,
                     progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws {
        let request = WorkerRequest(live: options, processLimits: limits)
        let supervisor = supervisor(silenceLimit: nil)
        _ = try await DedicatedThread.run(named: "sluice-live", onCancel: { cancellation.cancel() }) {
            try supervisor.run(request, cancellation: cancellation, progress: progress)
        }
    }

    public func check(file: URL, limits inputLimits: InputLimits) async throws {
        let request = WorkerRequest(check: file, inputLimits: inputLimits, processLimits: limits)
        let supervisor = supervisor(silenceLimit: checkTimeout)
        let cancellation = CancellationFlag()
        _ = try await DedicatedThread.run(named: "sluice-check", onCancel: { cancellation.cancel() }) {
            try supervisor.run(request, cancellation: cancellation, progress: { _ in })
        }
    }

    private func supervisor(silenceLimit: TimeInterval?) -> ChildSupervisor {
        Self.ignoreBrokenPipes
        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment[JobWorker.parentVariable] = String(getpid())
        // Swift's crash backtracer would spend seconds on a crashed child and fill its log tail,
        // where FFmpeg's last lines are what explains the crash.
        childEnvironment["SWIFT_BACKTRACE"] = "enable=no"
        childEnvironment.merge(environment) { $1 }
        let launcher: ChildProcess.Launcher = usesForkServer
            ? spawner.launcher(executable: executable.path, environment: childEnvironment)
            : .spawn(executable: executable.path, environment: childEnvironment)
        return ChildSupervisor(launcher: launcher, limits: limits, terminationGrace: terminationGrace, silenceLimit: silenceLimit)
    }

    /// A child that dies before reading its request must not kill the service with SIGPIPE.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()
}
