import Foundation

/// How a runner server written by another team answers differently from PeerTube, within what
/// the official runner tolerates (issue: "works with every server the official runner works with").
struct ServerDialect: Sendable {
    enum RunnerID: Sendable { case number, uuidString, none }

    /// What `/register` answers as the runner's id.
    var runnerID = RunnerID.number
    /// Errors as Django REST framework writes them (`{"errors": [{"name": ["…"]}]}`), not problem+json.
    var djangoErrors = false
    /// Idle keep-alive connections are closed after this long (uvicorn's and Node's 5 s default).
    var idleTimeout: Duration?
    /// Serves socket.io's `/runners` namespace with this ping interval (none: no socket.io).
    var socketPingInterval: Duration?
    /// Refuses every runner socket (`44/runners`), as a server whose socket auth is broken.
    var refusesSockets = false
}
