import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// URLSession calls through its completion-handler tasks. On Linux, swift-corelibs-foundation's
/// async methods (`data(for:)`, `upload(for:fromFile:)`, `download(for:)`) can abort the process
/// ("Trying to access a behaviour for a task that in not in the registry"), which the runner's
/// tests hit; the completion-handler tasks do not go through that path.
extension URLSession {
    func exchange(_ request: URLRequest) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            dataTask(with: request) { data, response, error in
                if let data, let response { continuation.resume(returning: (data, response)) } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
    }

    func upload(_ request: URLRequest, file: URL) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            uploadTask(with: request, fromFile: file) { data, response, error in
                if let response { continuation.resume(returning: (data ?? Data(), response)) } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
    }

    /// Downloads into `destination` (moved there before the temporary file is removed); returns the
    /// response, whose body is the file.
    func download(_ request: URLRequest, to destination: URL) async throws -> URLResponse {
        try await withCheckedThrowingContinuation { continuation in
            downloadTask(with: request) { file, response, error in
                guard let file, let response else { return continuation.resume(throwing: error ?? URLError(.badServerResponse)) }
                do {
                    try? FileManager.default.removeItem(at: destination)
                    try FileManager.default.moveItem(at: file, to: destination)
                    continuation.resume(returning: response)
                } catch {
                    continuation.resume(throwing: error)
                }
            }.resume()
        }
    }
}
