/// A pipeline file that cannot be used, with the key at fault.
public struct PipelineError: Error, Equatable, CustomStringConvertible {
    /// The file (or "built-in <name>") the pipeline came from.
    public var source: String
    /// Dotted path of the offending key, e.g. `video.bFrames` or `rungs[2]`; nil for the whole document.
    public var key: String?
    public var problem: String

    public init(source: String, key: String?, problem: String) {
        self.source = source
        self.key = key
        self.problem = problem
    }

    public var description: String {
        if let key { return "pipeline \(source): key '\(key)' \(problem)" }
        return "pipeline \(source) \(problem)"
    }
}
