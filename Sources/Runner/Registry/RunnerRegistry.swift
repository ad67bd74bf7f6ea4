import Foundation
import PeerTubeClient

/// The instances a runner's state folder is registered with (`STATE/runner/instances.json`),
/// one entry per instance URL. Written atomically with owner-only permissions, since it holds
/// the runner tokens.
public struct RunnerRegistry: Sendable {
    public let file: URL

    public init(state: URL) {
        file = state.appendingPathComponent("runner", isDirectory: true).appendingPathComponent("instances.json")
    }

    public func instances() throws -> [RegisteredInstance] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([RegisteredInstance].self, from: Data(contentsOf: file))
    }

    public func instance(url: String) throws -> RegisteredInstance? {
        let key = InstanceURL.normalized(url)
        return try instances().first { $0.url == key }
    }

    /// Adds or replaces the entry for the instance's URL.
    public func save(_ instance: RegisteredInstance) throws {
        var all = try instances().filter { $0.url != instance.url }
        all.append(instance)
        try write(all.sorted { $0.url < $1.url })
    }

    /// Removes the entry for `url`; returns whether there was one.
    @discardableResult
    public func remove(url: String) throws -> Bool {
        let key = InstanceURL.normalized(url)
        let all = try instances()
        guard all.contains(where: { $0.url == key }) else { return false }
        try write(all.filter { $0.url != key })
        return true
    }

    private func write(_ instances: [RegisteredInstance]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OwnerOnlyFile.replace(file, with: try encoder.encode(instances))
    }
}
