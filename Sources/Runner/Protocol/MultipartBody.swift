import Foundation

/// A `multipart/form-data` body read straight from the files it carries, so an upload of any
/// size streams from disk without sitting in memory or being copied first. It is sent chunked
/// (no Content-Length: Foundation on Linux would send both, which Node's parser refuses).
struct MultipartBody: Sendable {
    let boundary = "sluice-\(UUID().uuidString)"
    private let pieces: [PiecewiseInputStream.Piece]

    init(fields: [String: String], files: [UploadFile]) throws {
        var pieces: [PiecewiseInputStream.Piece] = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            pieces.append(.bytes(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)))
        }
        for part in files {
            guard FileManager.default.isReadableFile(atPath: part.path.path) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: part.path.path])
            }
            pieces.append(.bytes(Data(("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.field)\"; "
                + "filename=\"\(part.fileName)\"\r\nContent-Type: \(part.contentType)\r\n\r\n").utf8)))
            pieces.append(.file(part.path))
            pieces.append(.bytes(Data("\r\n".utf8)))
        }
        pieces.append(.bytes(Data("--\(boundary)--\r\n".utf8)))
        self.pieces = pieces
    }

    /// A fresh stream over the body (one per attempt: a stream is read once).
    func stream() -> InputStream {
        PiecewiseInputStream(pieces)
    }
}
