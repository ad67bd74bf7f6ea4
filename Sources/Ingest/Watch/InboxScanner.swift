import Foundation
import Jobs

/// Lists the files in the inbox, and in the folders dropped into it, that may be videos: regular
/// files (or symlinks that stay inside the inbox), not hidden and not temporary. Partial
/// downloads are ignored until renamed.
struct InboxScanner {
    let inbox: URL
    /// Folders deeper than this below the inbox are not looked into (a link loop, a whole disk).
    static let maximumDepth = 8

    struct Candidate: Equatable {
        var path: String
        /// The path below the inbox: `clip.mp4`, or `album/clip.mp4` for a file in a dropped folder.
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
        var found: [Candidate] = []
        collect(in: inbox, prefix: "", depth: 0, into: &found)
        return found.sorted { $0.name < $1.name }
    }

    /// The folders below the inbox (relative paths), for the watcher's inotify watches.
    func folders() -> [String] {
        var found: [String] = []
        walkFolders(in: inbox, prefix: "", depth: 0, into: &found)
        return found
    }

    private func collect(in folder: URL, prefix: String, depth: Int, into found: inout [Candidate]) {
        let inboxPath = inbox.resolvingSymlinksInPath().path
        for name in entries(of: folder) {
            let url = folder.appendingPathComponent(name)
            let relative = prefix + name
            var status = stat()
            guard lstat(url.path, &status) == 0 else { continue }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                if depth < Self.maximumDepth { collect(in: url, prefix: relative + "/", depth: depth + 1, into: &found) }
                continue
            }
            if (status.st_mode & S_IFMT) == S_IFLNK {
                let target = url.resolvingSymlinksInPath().path
                guard target.hasPrefix(inboxPath + "/") else { continue }  // never follow a link out of the inbox
            }
            guard stat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
            found.append(Candidate(path: url.path, name: relative, size: Int64(status.st_size), modified: modified))
        }
    }

    private func walkFolders(in folder: URL, prefix: String, depth: Int, into found: inout [String]) {
        guard depth < Self.maximumDepth else { return }
        for name in entries(of: folder) {
            let url = folder.appendingPathComponent(name)
            var status = stat()
            guard lstat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { continue }
            found.append(prefix + name)
            walkFolders(in: url, prefix: prefix + name + "/", depth: depth + 1, into: &found)
        }
    }

    /// The names in `folder` that are neither hidden nor temporary (a folder being copied in
    /// under a temporary name is left alone too).
    private func entries(of folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !Self.isIgnoredName($0) }.sorted()
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
