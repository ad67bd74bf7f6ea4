import Foundation

/// The jobs this runner holds, on disk (`STATE/runner/held.json`), so a runner that was killed
/// gives them back (`/abort`) at its next start instead of leaving them to the stall watchdog.
struct HeldJournal: Sendable {
    let file: URL
    private let lock = NSLock()

    init(state: URL) {
        file = state.appendingPathComponent("runner", isDirectory: true).appendingPathComponent("held.json")
    }

    func all() -> [HeldJob] {
        lock.withLock { read() }
    }

    func add(_ jobs: [HeldJob]) {
        lock.withLock { write(read() + jobs) }
    }

    func remove(_ job: HeldJob) {
        lock.withLock { write(read().filter { $0 != job }) }
    }

    private func read() -> [HeldJob] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        return (try? JSONDecoder().decode([HeldJob].self, from: data)) ?? []
    }

    /// Owner-only (it holds tokens), replaced atomically.
    private func write(_ jobs: [HeldJob]) {
        let folder = file.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = folder.appendingPathComponent(".held-\(UUID().uuidString).json")
        guard let data = try? JSONEncoder().encode(jobs),
              FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }
}
