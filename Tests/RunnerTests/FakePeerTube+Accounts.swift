import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension FakePeerTube {
    static let rangeHeader = HTTPField.Name("Range")!
    static let locationHeader = HTTPField.Name("Location")!

    /// OAuth (§1), the account and channels (§2), videos (§5, §6): PeerTube's answers and errors.
    func addAccountRoutes(_ router: Router<BasicRequestContext>) {
        router.get("api/v1/oauth-clients/local") { _, _ -> Response in
            Self.answer(["client_id": FakeAccounts.clientID, "client_secret": FakeAccounts.clientSecret])
        }
        router.post("api/v1/users/token") { request, _ -> Response in
            let form = try await Self.form(request)
            let otp = request.headers[HTTPField.Name("x-peertube-otp")!]
            return self.change { state in Self.token(form: form, otp: otp, accounts: &state.accounts) }
        }
        router.post("api/v1/users/revoke-token") { request, _ -> Response in
            self.authorized(request) { user, state in
                state.accounts.revokeAll(of: user)
                return Self.answer(["success": true])
            }
        }
        router.get("api/v1/users/me") { request, _ -> Response in
            self.authorized(request) { user, state in
                Self.answer(["username": user, "videoQuota": state.accounts.quota, "videoQuotaUsed": state.accounts.used(by: user)])
            }
        }
        router.get("api/v1/video-channels/:handle") { _, context -> Response in
            let handle = try context.parameters.require("handle")
            guard let channel = self.snapshot.accounts.channels[handle] else { return Self.problem(404, "Video channel not found") }
            return Self.answer(["id": channel.id, "name": handle])
        }
        addVideoRoutes(router)
    }

    private func addVideoRoutes(_ router: Router<BasicRequestContext>) {
        router.get("api/v1/videos/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            return self.authorized(request) { _, state in
                guard let video = Self.video(id, in: state) else { return Self.problem(404, "Video not found") }
                return Self.answer(self.describe(video, state))
            }
        }
        router.get("api/v1/videos/:id/source") { request, context -> Response in
            let id = try context.parameters.require("id")
            return self.authorized(request) { _, state in
                guard let video = Self.video(id, in: state) else { return Self.problem(404, "Video not found") }
                return Self.answer(["inputFilename": video.inputFilename, "size": video.size,
                                    "createdAt": ISO8601DateFormatter().string(from: video.createdAt)])
            }
        }
        router.put("api/v1/videos/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 16 << 20)
            return self.authorized(request) { _, state in
                guard let index = state.accounts.videos.firstIndex(where: { "\($0.id)" == id || $0.uuid == id }) else {
                    return Self.problem(404, "Video not found")
                }
                guard body.readableBytes > 0 else { return Self.problem(400, "Incorrect request parameters: thumbnailfile") }
                state.accounts.videos[index].thumbnails += 1
                return Response(status: .noContent)
            }
        }
        router.get("api/v1/users/me/videos") { request, _ -> Response in
            let search = request.uri.queryParameters.get("search") ?? ""
            return self.authorized(request) { user, state in
                let mine = state.accounts.videos.filter { $0.user == user && (search.isEmpty || ($0.fields["name"] ?? "").localizedCaseInsensitiveContains(search)) }
                return Self.answer(["total": mine.count, "data": mine.reversed().map { self.describe($0, state) }])
            }
        }
    }

    /// The password and refresh grants, in PeerTube's order of checks.
    static func token(form: [String: String], otp: String?, accounts: inout FakeAccounts) -> Response {
        guard form["client_id"] == FakeAccounts.clientID, form["client_secret"] == FakeAccounts.clientSecret else {
            return problem(400, "Invalid client: client is invalid", code: "invalid_client")
        }
        switch form["grant_type"] {
        case "password":
            guard let username = form["username"], let password = form["password"] else {
                return problem(400, "Missing parameter: `username`", code: "invalid_request")
            }
            guard accounts.passwords[username] == password else {
                return problem(400, "Invalid grant: user credentials are invalid", code: "invalid_grant")
            }
            if let expected = accounts.otp[username] {
                guard let otp else { return problem(401, "Missing two factor header", code: "missing_two_factor") }
                guard otp == expected else { return problem(400, "Invalid two factor header", code: "invalid_two_factor") }
            }
            accounts.logins += 1
            return answer(accounts.issueTokens(for: username))
        case "refresh_token":
            guard let token = form["refresh_token"], let user = accounts.refresh.removeValue(forKey: token) else {
                accounts.refusedRefreshes += 1
                return problem(400, "Invalid grant: refresh token is invalid", code: "invalid_grant")
            }
            accounts.access = accounts.access.filter { $0.value.user != user }
            accounts.refreshes += 1
            return answer(accounts.issueTokens(for: user))
        default:
            return problem(400, "Unsupported grant type: `grant_type` is invalid", code: "unsupported_grant_type")
        }
    }

    /// Runs `body` for the bearer's user; 401 `unauthorized_request` without one, `invalid_token` when unknown or expired.
    func authorized(_ request: Request, _ body: (String, inout State) -> Response) -> Response {
        let header = request.headers[.authorization]
        return change { state in
            let (user, _) = state.accounts.user(bearer: header)
            guard let user else {
                return header == nil ? Self.problem(401, "Token is invalid", code: "unauthorized_request")
                                     : Self.problem(401, "Token is invalid", code: "invalid_token")
            }
            return body(user, &state)
        }
    }

    static func video(_ id: String, in state: State) -> FakeAccounts.Video? {
        state.accounts.videos.first { "\($0.id)" == id || $0.uuid == id || $0.shortUUID == id }
    }

    /// Published once the top HLS job completed, as PeerTube 8.1+ publishes (RP §7).
    func describe(_ video: FakeAccounts.Video, _ state: State) -> [String: Any] {
        let top = state.jobs.filter { $0.videoUUID == video.uuid && $0.parent == nil }.first
        let published = state.jobs.contains { $0.videoUUID == video.uuid && $0.type == "vod-hls-transcoding"
            && $0.resolution == top?.resolution && $0.state == .completed }
        return ["id": video.id, "uuid": video.uuid, "shortUUID": video.shortUUID, "name": video.fields["name"] ?? "",
                "state": ["id": published ? 1 : 2, "label": published ? "Published" : "To transcode"]]
    }

    static func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 1 << 20)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
