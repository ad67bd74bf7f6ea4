/// Where a resumable upload stands on the instance.
public enum UploadProgress: Sendable, Equatable {
    /// The instance holds this many bytes; the next chunk starts there.
    case incomplete(offset: Int64)
    /// The last byte arrived and the instance made the video.
    case complete(RemoteVideo)
    /// The instance no longer knows the upload (finished, purged after 1-2 h of silence, or the
    /// instance restarted): look for the video before starting again.
    case gone
    /// The instance is still making the video from the complete file (503 with Retry-After).
    case processing(retryAfter: Double)
}
