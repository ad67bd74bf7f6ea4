import Foundation
import Jobs

/// Lists the files in the inbox that may be videos: regular files (or symlinks that stay inside
/// the inbox), not hidden and not temporary. Partial downloads are ignored until renamed.
struct InboxScanner {
    let inbox: URL

    struct Candidate: Equatable {
        var path: String
        var name: String
        var size: Int64
        var modified: Date
    }

    static let temporarySuffixes = [".part", ".tmp", ".crdownload", ".partial", ".download", "~", ".swp"]

    static func isIgnoredName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || name.hasPrefix("~") || temporarySuffixes.contains { lower.hasSuffix($0) }
    }

    func scan() -> [Candidate] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []
        let inboxPath = inbox.resolvingSymlinksInPath().path
        return names.sorted().compactMap { name in
            guard !Self.isIgnoredName(name) else { return nil }
            let url = inbox.appendingPathComponent(name)
            guard let values = try? url.resourceValues(forKeys: [.isSymbolicLinkKey, .isRegularFileKey]) else { return nil }
            if values.isSymbolicLink == true {
                let target = url.resolvingSymlinksInPath().path
                guard target.hasPrefix(inboxPath + "/") else { return nil }  // never follow a link out of the inbox
            }
            var status = stat()
            guard stat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
            let modified = Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
            return Candidate(path: url.path, name: name, size: Int64(status.st_size), modified: modified)
        }
    }

    /// Whether the file can be opened for reading now (a writer holding an exclusive lock, or a
    /// permission problem, keeps it in the inbox).
    static func canOpen(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }
}
