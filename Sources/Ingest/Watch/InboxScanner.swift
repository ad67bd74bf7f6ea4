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
            || SidecarFile.isSidecar(name)  // stays in the inbox for publishing to read
    }

    /// One walk of the inbox: its files, and its folders (for the watcher's inotify watches).
    struct Listing {
        var candidates: [Candidate] = []
        /// Paths below the inbox.
        var folders: [String] = []
    }

    func scan() -> Listing {
        var listing = Listing()
        collect(in: inbox, prefix: "", depth: 0, inboxPath: inbox.resolvingSymlinksInPath().path, into: &listing)
        listing.candidates.sort { $0.name < $1.name }
        return listing
    }

    private func collect(in folder: URL, prefix: String, depth: Int, inboxPath: String, into listing: inout Listing) {
        for name in entries(of: folder) {
            let url = folder.appendingPathComponent(name)
            let relative = prefix + name
            var status = stat()
            guard lstat(url.path, &status) == 0 else { continue }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                if depth < Self.maximumDepth {
                    listing.folders.append(relative)
                    collect(in: url, prefix: relative + "/", depth: depth + 1, inboxPath: inboxPath, into: &listing)
                }
                continue
            }
            if (status.st_mode & S_IFMT) == S_IFLNK {
                let target = url.resolvingSymlinksInPath().path
                guard target.hasPrefix(inboxPath + "/") else { continue }  // never follow a link out of the inbox
            }
            guard stat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            listing.candidates.append(Candidate(path: url.path, name: relative, size: Int64(status.st_size),
                                                modified: Self.modificationDate(status)))
        }
    }

    /// A stat's modification time as a date.
    static func modificationDate(_ status: stat) -> Date {
        Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
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
