import Foundation
import Packaging

/// Stable, readable JSON for `--json` output.
enum JSONOutput {
    static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder.readable().encode(value), as: UTF8.self)
    }
}
