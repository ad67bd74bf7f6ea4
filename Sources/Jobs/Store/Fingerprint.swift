import Crypto
import Foundation
import Packaging

/// The content fingerprint used to spot the same video dropped twice: SHA-256 of the bytes.
package enum Fingerprint {
    package static func of(file url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().hexString
    }
}
