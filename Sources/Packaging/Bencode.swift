import Foundation

/// BitTorrent's bencoding (BEP 3): integers, byte strings, lists and dictionaries with keys in
/// sorted (raw byte) order, so the same torrent always encodes to the same bytes and info hash.
public indirect enum Bencode: Equatable, Sendable {
    case integer(Int64)
    case bytes([UInt8])
    case list([Bencode])
    case dictionary([String: Bencode])

    public static func string(_ text: String) -> Bencode { .bytes(Array(text.utf8)) }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    private func encode(into out: inout [UInt8]) {
        switch self {
        case .integer(let value):
            out += Array("i\(value)e".utf8)
        case .bytes(let bytes):
            out += Array("\(bytes.count):".utf8) + bytes
        case .list(let items):
            out.append(UInt8(ascii: "l"))
            for item in items { item.encode(into: &out) }
            out.append(UInt8(ascii: "e"))
        case .dictionary(let entries):
            out.append(UInt8(ascii: "d"))
            for key in entries.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                Bencode.string(key).encode(into: &out)
                entries[key]?.encode(into: &out)
            }
            out.append(UInt8(ascii: "e"))
        }
    }

    /// Parses one complete value; throws on trailing or malformed data.
    public static func decode(_ data: [UInt8]) throws -> Bencode {
        var index = 0
        let value = try parse(data, &index)
        guard index == data.count else { throw BencodeError.trailingData(at: index) }
        return value
    }

    private static func parse(_ data: [UInt8], _ index: inout Int) throws -> Bencode {
        guard index < data.count else { throw BencodeError.truncated }
        switch data[index] {
        case UInt8(ascii: "i"):
            index += 1
            let number = try readUntil(UInt8(ascii: "e"), data, &index)
            guard let value = Int64(number) else { throw BencodeError.badInteger(number) }
            return .integer(value)
        case UInt8(ascii: "l"):
            index += 1
            var items: [Bencode] = []
            while index < data.count && data[index] != UInt8(ascii: "e") { items.append(try parse(data, &index)) }
            index += 1
            return .list(items)
        case UInt8(ascii: "d"):
            index += 1
            var entries: [String: Bencode] = [:]
            while index < data.count && data[index] != UInt8(ascii: "e") {
                guard case .bytes(let key) = try parse(data, &index) else { throw BencodeError.badKey }
                entries[String(decoding: key, as: UTF8.self)] = try parse(data, &index)
            }
            index += 1
            return .dictionary(entries)
        default:
            let length = try readUntil(UInt8(ascii: ":"), data, &index)
            guard let count = Int(length), count >= 0, index + count <= data.count else { throw BencodeError.badLength(length) }
            defer { index += count }
            return .bytes(Array(data[index..<index + count]))
        }
    }

    private static func readUntil(_ terminator: UInt8, _ data: [UInt8], _ index: inout Int) throws -> String {
        guard let end = data[index...].firstIndex(of: terminator) else { throw BencodeError.truncated }
        defer { index = end + 1 }
        return String(decoding: data[index..<end], as: UTF8.self)
    }

    public subscript(key: String) -> Bencode? {
        if case .dictionary(let entries) = self { return entries[key] }
        return nil
    }
}

public enum BencodeError: Error, Equatable {
    case truncated
    case trailingData(at: Int)
    case badInteger(String)
    case badLength(String)
    case badKey
}
