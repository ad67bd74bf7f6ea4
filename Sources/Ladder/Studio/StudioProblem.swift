/// Why a job cannot be edited, in the words the instance will show.
public struct StudioProblem: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
}
