import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The runner routes of one PeerTube instance (`/api/v1/runners`, runner-protocol.md §2-6).
/// Every route is a POST with the tokens in the body: JSON, except `/success`, which is
/// multipart. Input files are downloaded with a POST too.
public struct RunnerAPI: Sendable {
    public let instance: String
    private let session: URLSession

    public init(instance: String, session: URLSession = .shared) {
        self.instance = RegisteredInstance.normalized(url: instance)
        self.session = session
    }

    /// `POST /register`: 200 `{id, runnerToken}`; 404 for an unknown registration token, 400 for
    /// a name already taken.
    public func register(registrationToken: String, name: String, description: String?,
                         version: String) async throws -> (id: Int, runnerToken: String) {
        var body: [String: Any] = ["registrationToken": registrationToken, "name": name, "version": version]
        if let description { body["description"] = description }
        let object = try await postJSON("register", body)
        guard let id = object["id"] as? Int, let token = object["runnerToken"] as? String else {
            throw RunnerAPIError(status: 200, code: nil, detail: "the instance's answer to /register has no id and runnerToken")
        }
        return (id, token)
    }

    /// `POST /unregister`: 204.
    public func unregister(runnerToken: String) async throws {
        _ = try await post("unregister", ["runnerToken": runnerToken])
    }

    /// `POST /jobs/request`: up to 10 pending jobs. `jobTypes` is ignored by 6.3 servers.
    public func requestJobs(runnerToken: String, jobTypes: [String], version: String) async throws -> [RunnerJob] {
        let object = try await postJSON("jobs/request", ["runnerToken": runnerToken, "jobTypes": jobTypes, "version": version])
        let jobs = object["availableJobs"] as? [[String: Any]] ?? []
        return jobs.compactMap(RunnerJob.init(json:))
    }

    /// `POST /jobs/:uuid/accept`: the job and its token. 400 or 409 mean another runner took it.
    public func accept(_ job: RunnerJob, runnerToken: String) async throws -> String {
        let object = try await postJSON("jobs/\(job.uuid)/accept", ["runnerToken": runnerToken])
        guard let accepted = object["job"] as? [String: Any], let token = accepted["jobToken"] as? String else {
            throw RunnerAPIError(status: 200, code: nil, detail: "the instance's answer to accept has no jobToken")
        }
        return token
    }

    /// `POST /jobs/:uuid/update` with an integer progress: keeps the job from being reset as stalled.
    public func update(_ held: HeldJob, progress: Int?) async throws {
        var body = held.credentials
        if let progress { body["progress"] = max(0, min(100, progress)) }
        _ = try await post("jobs/\(held.uuid)/update", body)
    }

    /// `POST /jobs/:uuid/abort`: back to pending, no failure counted.
    public func abort(_ held: HeldJob, reason: String) async throws {
        var body = held.credentials
        body["reason"] = String(reason.prefix(5000))
        _ = try await post("jobs/\(held.uuid)/abort", body)
    }

    /// `POST /jobs/:uuid/error`: one failure counted; at five the job and its dependants are errored.
    public func error(_ held: HeldJob, message: String) async throws {
        var body = held.credentials
        body["message"] = String(message.prefix(5000))
        _ = try await post("jobs/\(held.uuid)/error", body)
    }

    /// `POST /jobs/:uuid/success`, multipart, the files streamed from disk. When a first attempt
    /// was cut off after the instance took it, the retry finds the job no longer processing: done.
    public func success(_ held: HeldJob, files: [UploadFile]) async throws {
        let multipart = try MultipartBody(fields: ["runnerToken": held.runnerToken, "jobToken": held.jobToken], files: files)
        defer { multipart.remove() }
        var request = try makeRequest("jobs/\(held.uuid)/success", timeout: 3600)
        request.setValue("multipart/form-data; boundary=\(multipart.boundary)", forHTTPHeaderField: "Content-Type")
        var retried = false
        do {
            _ = try await send(onRetry: { retried = true }) { try await session.upload(request, file: multipart.file) }
        } catch let error as RunnerAPIError where retried && error.code == "runner_job_not_in_processing_state" {
            return
        }
    }

    /// Downloads a job's input (a POST with the job's tokens) into `destination`, streamed to
    /// disk; network failures and 5xx answers are tried again, twice.
    public func download(_ url: String, for held: HeldJob, to destination: URL) async throws {
        guard let target = URL(string: url) else { throw RunnerAPIError(status: nil, code: nil, detail: "bad input URL \(url)") }
        var request = URLRequest(url: target, timeoutInterval: 7200)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: held.credentials)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await session.download(request, to: destination)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                guard (200..<300).contains(status) else {
                    let body = (try? Data(contentsOf: destination)) ?? Data()
                    try? FileManager.default.removeItem(at: destination)
                    throw RunnerAPIError.from(status: status, body: body)
                }
                return
            } catch let error as RunnerAPIError where (error.status ?? 500) < 500 {
                throw error
            } catch where attempt < 3 && !Task.isCancelled {
                try await Task.sleep(for: .seconds(Double(attempt) * 2))
            } catch let error as RunnerAPIError {
                throw error
            } catch {
                throw RunnerAPIError(status: nil, code: nil, detail: "cannot download the input (\(error.localizedDescription))")
            }
        }
    }

    private func postJSON(_ route: String, _ body: [String: Any]) async throws -> [String: Any] {
        let data = try await post(route, body)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    private func post(_ route: String, _ body: [String: Any]) async throws -> Data {
        var request = try makeRequest(route, timeout: 60)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return try await send { try await session.exchange(request) }
    }

    private func makeRequest(_ route: String, timeout: TimeInterval) throws -> URLRequest {
        guard let url = URL(string: "\(instance)/api/v1/runners/\(route)"), url.scheme == "http" || url.scheme == "https" else {
            throw RunnerAPIError(status: nil, code: nil, detail: "'\(instance)' is not an http(s) URL")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        return request
    }

    /// Makes the call; a transport failure (no answer at all: a dropped keep-alive connection, a
    /// restart of the instance's proxy) is tried again twice before it counts.
    private func send(onRetry: () -> Void = {}, _ call: () async throws -> (Data, URLResponse)) async throws -> Data {
        var attempt = 0
        let (data, response): (Data, URLResponse)
        while true {
            attempt += 1
            do {
                (data, response) = try await call()
                break
            } catch where attempt < 3 && !Task.isCancelled {
                onRetry()
                try? await Task.sleep(for: .milliseconds(500 * attempt))
            } catch {
                throw RunnerAPIError(status: nil, code: nil, detail: "cannot reach \(instance) (\(error.localizedDescription))")
            }
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw RunnerAPIError.from(status: status, body: data) }
        return data
    }
}
