import Foundation

/// The publications of a state folder: one JSON file each under `STATE/publications/`, replaced
/// atomically (written beside, synced, renamed) at every step, so a kill at any moment leaves
/// either the step before or the step after. The runner reads it to answer the jobs of videos
/// Sluice published from the packages it already made.
public struct PublicationStore: Sendable {
    public let folder: URL

    public init(state: URL) {
        folder = state.appendingPathComponent("publications", isDirectory: true)
    }

    public func load(key: String) -> Publication? {
        (try? Data(contentsOf: file(key))).flatMap { try? Self.decoder.decode(Publication.self, from: $0) }
    }

    public func save(_ publication: Publication) throws {
        var publication = publication
        publication.updatedAt = Date()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = try Self.encoder.encode(publication)
        let temporary = folder.appendingPathComponent(".\(publication.key)-\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        let handle = try FileHandle(forUpdating: temporary)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, file(publication.key).path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file(publication.key).path])
        }
        try index(publication)
    }

    /// Small marker files the runner reads on every poll instead of every publication:
    /// `videos/<uuid>` holds the key of the publication that made the video, and
    /// `finishing/<key>` exists while an upload's last chunk awaits its answer.
    private func index(_ publication: Publication) throws {
        if let uuid = publication.videoUUID?.lowercased() {
            let marker = folder.appendingPathComponent("videos").appendingPathComponent(uuid)
            if !FileManager.default.fileExists(atPath: marker.path) {
                try FileManager.default.createDirectory(at: marker.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(publication.key.utf8).write(to: marker, options: .atomic)
            }
        }
        let finishing = folder.appendingPathComponent("finishing").appendingPathComponent(publication.key)
        if publication.step == .uploading && publication.finishing == true {
            try FileManager.default.createDirectory(at: finishing.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: finishing)
        } else {
            try? FileManager.default.removeItem(at: finishing)
        }
    }

    public func all() -> [Publication] {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "json" }.compactMap { file in
            (try? Data(contentsOf: file)).flatMap { try? Self.decoder.decode(Publication.self, from: $0) }
        }.sorted { $0.updatedAt < $1.updatedAt }
    }

    /// The publication that made `videoUUID` on `instance`, if Sluice published it from here.
    public func published(videoUUID: String, instance: String) -> Publication? {
        let marker = folder.appendingPathComponent("videos").appendingPathComponent(videoUUID.lowercased())
        guard let key = try? String(contentsOf: marker, encoding: .utf8), let publication = load(key: key),
              publication.instance == instance else { return nil }
        return publication
    }

    /// Whether an upload to `instance` sent its last chunk in the last five minutes and its
    /// video is not recorded yet: the instance may already queue that video's jobs.
    public func isFinishingUpload(instance: String) -> Bool {
        let markers = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("finishing").path)) ?? []
        return markers.compactMap { load(key: $0) }.contains {
            $0.instance == instance && $0.step == .uploading && $0.finishing == true && $0.updatedAt > Date().addingTimeInterval(-300)
        }
    }

    /// Records that the runner answered `job` (`kind-resolution`) of a video from its package;
    /// once every expected job is answered, a package made for the publication alone is removed.
    /// Returns the removed folder, if any.
    @discardableResult
    public func answered(_ job: String, videoUUID: String, instance: String) -> URL? {
        guard let key = published(videoUUID: videoUUID, instance: instance)?.key else { return nil }
        var removed: URL?
        update(key: key) { publication in removed = Self.record(job, in: &publication) }
        return removed
    }

    /// Reads, changes and saves one publication under a lock the runner and the publisher (two
    /// processes) share, so neither's change is lost to the other's.
    public func update(key: String, _ change: (inout Publication) -> Void) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let descriptor = open(folder.appendingPathComponent(".lock").path, O_CREAT | O_RDWR, 0o600)
        if descriptor >= 0 { flock(descriptor, LOCK_EX) }
        defer {
            if descriptor >= 0 {
                flock(descriptor, LOCK_UN)
                close(descriptor)
            }
        }
        guard var publication = load(key: key) else { return }
        change(&publication)
        try? save(publication)
    }

    private static func record(_ job: String, in publication: inout Publication) -> URL? {
        var answered = Set(publication.answeredJobs ?? [])
        answered.insert(job)
        publication.answeredJobs = answered.sorted()
        var removed: URL?
        if publication.removesPackage == true, let expected = publication.expectedJobs, !expected.isEmpty,
           answered.isSuperset(of: expected), let package = publication.package {
            // `STATE/packages/<key>/` holds the package and what was made beside it (the web videos
            // the runner posted, a prepared upload).
            var folder = URL(fileURLWithPath: package)
            if folder.deletingLastPathComponent().lastPathComponent == publication.key { folder = folder.deletingLastPathComponent() }
            try? FileManager.default.removeItem(at: folder)
            publication.package = nil
            removed = folder
        }
        return removed
    }

    private func file(_ key: String) -> URL { folder.appendingPathComponent("\(key).json") }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
