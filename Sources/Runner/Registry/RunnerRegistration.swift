import Foundation
import PeerTubeClient

/// Registering with and leaving instances: the instance's answer and the local registry kept
/// in step (a token is only stored once the instance gave it, and only forgotten once the
/// instance let the runner go or no longer knows it).
public struct RunnerRegistration: Sendable {
    public enum Failure: Error, CustomStringConvertible, Sendable {
        case alreadyRegistered(url: String, name: String)
        case notRegistered(url: String)
        case refused(url: String, InstanceError)

        public var description: String {
            switch self {
            case .alreadyRegistered(let url, let name):
                "already registered with \(url) as '\(name)' (unregister first)"
            case .notRegistered(let url): "not registered with \(url)"
            case .refused(let url, let error): error.status == nil ? "\(error)" : "\(url) refused: \(error)"
            }
        }
    }

    public let registry: RunnerRegistry
    public let version: String

    public init(state: URL, version: String) {
        registry = RunnerRegistry(state: state)
        self.version = version
    }

    public func register(url: String, registrationToken: String, name: String, description: String?) async throws -> RegisteredInstance {
        let instance = InstanceURL.normalized(url)
        if let existing = try registry.instance(url: instance) {
            throw Failure.alreadyRegistered(url: instance, name: existing.name)
        }
        do {
            let answer = try await RunnerAPI(instance: instance).register(registrationToken: registrationToken, name: name,
                                                                          description: description, version: version)
            let registered = RegisteredInstance(url: instance, name: name, description: description, runnerID: answer.id,
                                                runnerToken: answer.runnerToken,
                                                // Whole seconds: what the registry's ISO 8601 dates keep.
                                                registeredAt: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            try registry.save(registered)
            return registered
        } catch let error as InstanceError {
            throw Failure.refused(url: instance, error)
        }
    }

    /// Returns false when the instance had already deleted the runner (its token was unknown there).
    @discardableResult
    public func unregister(url: String) async throws -> Bool {
        guard let instance = try registry.instance(url: url) else {
            throw Failure.notRegistered(url: InstanceURL.normalized(url))
        }
        var known = true
        do {
            try await RunnerAPI(instance: instance.url).unregister(runnerToken: instance.runnerToken)
        } catch let error as InstanceError where error.isUnknownRunnerToken {
            known = false
        } catch let error as InstanceError {
            throw Failure.refused(url: instance.url, error)
        }
        try registry.remove(url: instance.url)
        return known
    }
}
