import Foundation

/// Bytes from a pipe in, whole lines out: a line split across two reads is kept until its end.
struct LineBuffer {
    private var pending = Data()

    /// The complete lines in `bytes` after what was pending, without their newlines.
    mutating func append(_ bytes: Data) -> [String] {
        pending.append(bytes)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
        return lines
    }
}
