/// Why a job could not be done, in the one line PeerTube's admin shows (`/error`'s message).
public struct JobFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// The runner's machine is at fault (its disk is full), not the input: the job is given back
    /// with `/abort` rather than charged a failure, which after five would error the video.
    public var isMachineFault: Bool
    /// The stall watchdog ended the pass: the input's fault (reported with `/error`), although
    /// the pass was stopped through its cancellation flag like a shutdown.
    public var isStall: Bool

    public init(_ description: String, isMachineFault: Bool = false, isStall: Bool = false) {
        self.description = description
        self.isMachineFault = isMachineFault
        self.isStall = isStall
    }
}
