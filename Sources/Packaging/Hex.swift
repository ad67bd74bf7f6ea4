extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits a byte (digests, info hashes, codec strings).
    public var hexString: String {
        map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
