import Foundation
import PeerTubeClient

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

    /// Owner-only (it holds tokens), replaced atomically; a journal that cannot be written only
    /// loses the give-back after a crash, which the instance's stall watchdog then does.
    private func write(_ jobs: [HeldJob]) {
        guard let data = try? JSONEncoder().encode(jobs) else { return }
        try? OwnerOnlyFile.replace(file, with: data)
    }
}
