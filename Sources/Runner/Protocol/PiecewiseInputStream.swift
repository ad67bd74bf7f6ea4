import Foundation

/// An input stream that reads byte strings and files one after another, in 64 KiB chunks: the
/// body of an upload, without a copy of the files it carries. Read by URLSession's own thread only.
final class PiecewiseInputStream: InputStream {
    enum Piece: Sendable {
        case bytes(Data)
        case file(URL)
    }

    private var pieces: ArraySlice<Piece>
    private var file: FileHandle?
    private var pending = Data()
    private var status = Stream.Status.notOpen
    private var failure: Error?

    init(_ pieces: [Piece]) {
        self.pieces = pieces[...]
        super.init(data: Data())
    }

    override func open() { status = .open }

    override func close() {
        try? file?.close()
        file = nil
        status = .closed
    }

    override var streamStatus: Stream.Status { status }
    override var streamError: Error? { failure }
    override var hasBytesAvailable: Bool { status == .open }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        do {
            while pending.isEmpty {
                guard try refill() else {
                    status = .atEnd
                    return 0
                }
            }
        } catch {
            failure = error
            status = .error
            return -1
        }
        let count = min(maxLength, pending.count)
        pending.copyBytes(to: buffer, count: count)
        pending.removeFirst(count)
        return count
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, length: UnsafeMutablePointer<Int>) -> Bool {
        false
    }

    /// Loads the next chunk into `pending`; false when every piece has been read.
    private func refill() throws -> Bool {
        if let file {
            if let chunk = try file.read(upToCount: 1 << 16), !chunk.isEmpty {
                pending = chunk
            } else {
                try file.close()
                self.file = nil
            }
            return true
        }
        guard let piece = pieces.popFirst() else { return false }
        switch piece {
        case .bytes(let bytes): pending = bytes
        case .file(let url): file = try FileHandle(forReadingFrom: url)
        }
        return true
    }
}
