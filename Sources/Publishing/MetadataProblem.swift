/// A metadata field PeerTube would refuse, found before anything is sent: which field, where it
/// came from, and the rule.
public struct MetadataProblem: Error, CustomStringConvertible, Sendable, Equatable {
    public var field: String
    public var origin: String
    public var rule: String

    public init(field: String, origin: String, rule: String) {
        self.field = field
        self.origin = origin
        self.rule = rule
    }

    public var description: String { "\(field) (from \(origin)): \(rule)" }
}
