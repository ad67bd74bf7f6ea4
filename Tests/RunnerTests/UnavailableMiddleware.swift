import Hummingbird

/// Answers every runner route with 503 while the test server is set unavailable, counting the
/// calls it refused (how often the runner tried during the outage).
struct UnavailableMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let server: FakePeerTube

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let refused = server.change { state -> Bool in
            guard state.unavailable else { return false }
            state.refusedWhileUnavailable += 1
            return true
        }
        if refused { return FakePeerTube.problem(503, "Service Unavailable") }
        return try await next(request, context)
    }
}
