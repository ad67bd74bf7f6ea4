import Foundation

/// The runner routes of one PeerTube instance (`/api/v1/runners`, runner-protocol.md §2-6),
/// over ``InstanceHTTP``. Every route is a POST with the tokens in the body: JSON, except
/// `/success`, which is multipart. Input files are downloaded with a POST too.

public struct RunnerAPI: Sendable {
    public let instance: String
    let http = InstanceHTTP()

    public init(instance: String) {
        self.instance = InstanceURL.normalized(instance)
    }

    /// `POST /register`: PeerTube answers 200 `{id, runnerToken}`. As the official runner, only
    /// `runnerToken` is required; the id is kept as whatever came (a number, a string or none).
    public func register(registrationToken: String, name: String, description: String?,
                         version: String) async throws -> (id: String?, runnerToken: String) {
        var body: [String: Any] = ["registrationToken": registrationToken, "name": name, "version": version]
        if let description { body["description"] = description }
        let object = try await postJSON("register", body)
        guard let token = object["runnerToken"] as? String, !token.isEmpty else {
            throw InstanceError(status: 200, code: nil, detail: "the instance's answer to /register has no runnerToken")
        }
        let id = (object["id"] as? String) ?? (object["id"] as? NSNumber).map { "\($0)" }
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
            throw InstanceError(status: 200, code: nil, detail: "the instance's answer to accept has no jobToken")
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

    /// `POST /jobs/:uuid/success`, multipart, streamed from the files. A transport failure is
    /// tried again twice; when a first attempt was cut off after the instance took it, the retry
    /// finds the job no longer processing: done.
    public func success(_ held: HeldJob, files: [UploadFile]) async throws {
        let multipart = MultipartBody(fields: ["runnerToken": held.runnerToken, "jobToken": held.jobToken], files: files)
        let url = try routeURL("jobs/\(held.uuid)/success")
        var attempt = 0
        while true {
            attempt += 1
            let answer: InstanceHTTP.Answer
            do {
                answer = try await http.upload(url, multipart)
            } catch where attempt < 3 && !Task.isCancelled && InstanceHTTP.isRetryable(error) {
                try await Task.sleep(for: .seconds(attempt))
                continue
            } catch {
                throw InstanceError(status: nil, code: nil, detail: "cannot upload the result to \(instance) (\(InstanceHTTP.describe(error)))")
            }
            if (200..<300).contains(answer.status) { return }
            let failure = InstanceError.from(status: answer.status, body: answer.body)
            if attempt > 1 && failure.code == "runner_job_not_in_processing_state" { return }
            throw failure
        }
    }

    /// Downloads a job's input (a POST with the job's tokens) into `destination`, streamed to
    /// disk; network failures and 5xx answers are tried again, twice.
    public func download(_ url: String, for held: HeldJob, to destination: URL) async throws {
        guard let target = URL(string: url), ["http", "https"].contains(target.scheme ?? "") else {
            throw InstanceError(status: nil, code: nil, detail: "bad input URL \(url)")
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let answer = try await http.download(url, json: held.credentials, to: destination)
                guard (200..<300).contains(answer.status) else { throw InstanceError.from(status: answer.status, body: answer.body) }
                return
            } catch let error as InstanceError where (error.status ?? 500) < 500 {
                throw error
            } catch where attempt < 3 && !Task.isCancelled {
                try? FileManager.default.removeItem(at: destination)
                try await Task.sleep(for: .seconds(Double(attempt) * 2))
            } catch let error as InstanceError {
                throw error
            } catch {
                try? FileManager.default.removeItem(at: destination)
                throw InstanceError(status: nil, code: nil, detail: "cannot download the input (\(InstanceHTTP.describe(error)))")
            }
        }
    }

    private func postJSON(_ route: String, _ body: [String: Any]) async throws -> [String: Any] {
        let data = try await post(route, body)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    private func post(_ route: String, _ body: [String: Any]) async throws -> Data {
        let answer = try await http.postJSON(try routeURL(route), body)
        guard (200..<300).contains(answer.status) else { throw InstanceError.from(status: answer.status, body: answer.body) }
        return answer.body
    }

    func routeURL(_ route: String) throws -> String {
        guard let url = URL(string: "\(instance)/api/v1/runners/\(route)"), url.scheme == "http" || url.scheme == "https" else {
            throw InstanceError(status: nil, code: nil, detail: "'\(instance)' is not an http(s) URL")
        }
        return url.absoluteString
    }
}
