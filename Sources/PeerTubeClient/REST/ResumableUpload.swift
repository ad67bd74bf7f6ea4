import Foundation

/// Sends a file through PeerTube's resumable upload until the instance makes the video.
///
/// Every chunk starts at the offset the instance reports, never at this side's own count: the
/// instance keeps the bytes of a chunk cut off mid-body and does not check that chunks are
/// contiguous (peertube-upload-api.md §3.2, §7). After any failure the offset is asked again
/// first. Transport failures, 5xx, 423 (the cut request still holds the lock) and 429 are tried
/// again with a growing pause; a run without progress for `attemptsWithoutProgress` tries ends
/// with the last reason, and the caller keeps the upload to resume later.
public struct ResumableUpload: Sendable {
    public let api: VideosAPI
    /// Bytes per PUT: several MB, as every PUT counts against the instance's 50 requests / 10 s.
    public var chunkSize: Int
    public var attemptsWithoutProgress: Int
    /// First pause after a failure, doubled each time up to `longestPause`.
    public var firstPause: Double
    public var longestPause: Double = 30

    public init(api: VideosAPI, chunkSize: Int = 8 << 20, attemptsWithoutProgress: Int = 8, firstPause: Double = 1) {
        self.api = api
        self.chunkSize = chunkSize
        self.attemptsWithoutProgress = attemptsWithoutProgress
        self.firstPause = firstPause
    }

    /// Sends `file` (of `total` bytes) on upload `id`, from `offset` when given, else from where
    /// the instance stands. Returns `.complete` with the video, or `.gone` when the instance no
    /// longer knows the upload. `progressed` is told each offset the instance confirms, and
    /// `finishing` comes before the last chunk goes.
    public func send(_ file: URL, id: String, total: Int64, from offset: Int64? = nil,
                     progressed: @Sendable (Int64) async -> Void = { _ in },
                     finishing: @Sendable () async -> Void = {}) async throws -> UploadProgress {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var failures = 0
        var progress: UploadProgress
        if let offset { progress = .incomplete(offset: offset) } else { progress = try await ask(id, total: total, failures: &failures) }
        while true {
            try Task.checkCancellation()
            switch progress {
            case .complete, .gone:
                return progress
            case .processing(let retryAfter):
                try await Task.sleep(for: .seconds(min(retryAfter, longestPause)))
                progress = try await ask(id, total: total, failures: &failures)
            case .incomplete(let start):
                try handle.seek(toOffset: UInt64(start))
                let bytes = try handle.read(upToCount: chunkSize) ?? Data()
                guard !bytes.isEmpty else {
                    throw InstanceError(status: nil, code: nil, detail: "the file is shorter than the \(total) bytes the upload announced")
                }
                if start + Int64(bytes.count) >= total { await finishing() }
                do {
                    progress = try await api.sendChunk(id, bytes: bytes, start: start, total: total)
                    failures = 0
                    if case .incomplete(let next) = progress { await progressed(next) }
                } catch let error where Self.isRetryable(error) {
                    try await pause(after: error, failures: &failures)
                    progress = try await ask(id, total: total, failures: &failures)
                }
            }
        }
    }

    /// The instance's offset, asked until it answers (with the same patience as the chunks).
    private func ask(_ id: String, total: Int64, failures: inout Int) async throws -> UploadProgress {
        while true {
            do {
                return try await api.uploadOffset(id, total: total)
            } catch let error where Self.isRetryable(error) {
                try await pause(after: error, failures: &failures)
            }
        }
    }

    private func pause(after error: Error, failures: inout Int) async throws {
        failures += 1
        guard failures < attemptsWithoutProgress else {
            if let error = error as? InstanceError { throw error }
            throw InstanceError(status: nil, code: nil, detail: "cannot reach \(api.session.instance) (\(InstanceHTTP.describe(error)))")
        }
        try await Task.sleep(for: .seconds(min(firstPause * pow(2, Double(failures - 1)), longestPause)))
    }

    /// Worth another try: the network, the instance's own failures, a lock left by a cut
    /// request (423), rate limiting (429). Not a refusal of the file or of the account.
    static func isRetryable(_ error: Error) -> Bool {
        if error is CancellationError { return false }
        guard let error = error as? InstanceError else { return true }
        return error.isTransient || error.status == 423
    }
}
