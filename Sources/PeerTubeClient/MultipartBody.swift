import Foundation
import NIOCore
import NIOFoundationCompat

/// A `multipart/form-data` body streamed from the files it carries, with its exact length known
/// beforehand: it goes out with a Content-Length as the official runner's uploads do (a chunked
/// body is not read by every server in front of or imitating PeerTube), and no copy of the files
/// is ever written (a long video's renditions can be gigabytes).
public struct MultipartBody: Sendable {
    public let boundary: String
    let fields: [(name: String, value: String)]
    let files: [UploadFile]
    /// Bytes read from a file per chunk.
    static let chunkSize = 1 << 20

    public init(fields: [String: String], files: [UploadFile], boundary: String = "sluice-\(UUID().uuidString)") {
        self.boundary = boundary
        self.fields = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.files = files
    }

    /// The body in order: text pieces between the files' contents.
    enum Piece: Sendable {
        case text(Data)
        case file(URL)
    }

    var pieces: [Piece] {
        var pieces: [Piece] = []
        for (name, value) in fields {
            pieces.append(.text(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)))
        }
        for part in files {
            pieces.append(.text(Data(("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.field)\"; "
                + "filename=\"\(part.fileName)\"\r\nContent-Type: \(part.contentType)\r\n\r\n").utf8)))
            pieces.append(.file(part.path))
            pieces.append(.text(Data("\r\n".utf8)))
        }
        pieces.append(.text(Data("--\(boundary)--\r\n".utf8)))
        return pieces
    }

    /// The body's length in bytes, from the files' sizes now.
    public func length() throws -> Int64 {
        try pieces.reduce(Int64(0)) { total, piece in
            switch piece {
            case .text(let data): return total + Int64(data.count)
            case .file(let url):
                let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber
                return total + (size?.int64Value ?? 0)
            }
        }
    }

    /// The body as chunks, each file read only as the network takes the bytes before it.
    public func chunks() -> Chunks {
        Chunks(pieces: pieces)
    }

    /// The body's bytes in order, read on demand (the upload's backpressure is the reading).
    public struct Chunks: AsyncSequence, Sendable {
        let pieces: [Piece]

        public func makeAsyncIterator() -> Iterator {
            Iterator(pieces: pieces)
        }

        public struct Iterator: AsyncIteratorProtocol {
            let pieces: [Piece]
            var index = 0
            var input: FileHandle?

            public mutating func next() async throws -> ByteBuffer? {
                while index < pieces.count {
                    switch pieces[index] {
                    case .text(let data):
                        index += 1
                        return ByteBuffer(data: data)
                    case .file(let url):
                        let handle = try input ?? FileHandle(forReadingFrom: url)
                        input = handle
                        if let chunk = try handle.read(upToCount: MultipartBody.chunkSize), !chunk.isEmpty {
                            return ByteBuffer(data: chunk)
                        }
                        try? handle.close()
                        input = nil
                        index += 1
                    }
                }
                return nil
            }
        }
    }

    /// The whole body in memory (for tests of its exact bytes).
    public func collect() async throws -> Data {
        var data = Data()
        for try await chunk in chunks() { data.append(contentsOf: chunk.readableBytesView) }
        return data
    }
}
