import Foundation

/// A `multipart/form-data` body written to a temporary file, the files copied in by chunks, so
/// an upload of any size streams from disk instead of sitting in memory. The file is written
/// beside the first upload (the runner's work folder, sized for renditions), not in /tmp, which
/// is often a small tmpfs.
///
/// One file, so it goes out with a Content-Length as the official runner's uploads do. A body
/// streamed from the parts would go chunked: not every server in front of (or imitating) PeerTube
/// reads chunked bodies, and Foundation on Linux sends Content-Length with chunked encoding when
/// asked for both, which Node refuses.
struct MultipartBody {
    let boundary = "sluice-\(UUID().uuidString)"
    let file: URL

    init(fields: [String: String], files: [UploadFile]) throws {
        let folder = files.first?.path.deletingLastPathComponent() ?? FileManager.default.temporaryDirectory
        file = folder.appendingPathComponent(".sluice-upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        let output = try FileHandle(forWritingTo: file)
        defer { try? output.close() }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            try output.write(contentsOf: Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for part in files {
            try output.write(contentsOf: Data(("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.field)\"; "
                + "filename=\"\(part.fileName)\"\r\nContent-Type: \(part.contentType)\r\n\r\n").utf8))
            let input = try FileHandle(forReadingFrom: part.path)
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write(contentsOf: chunk)
            }
            try output.write(contentsOf: Data("\r\n".utf8))
        }
        try output.write(contentsOf: Data("--\(boundary)--\r\n".utf8))
    }

    func remove() {
        try? FileManager.default.removeItem(at: file)
    }
}
