import Foundation

/// The few Engine.IO v4 / socket.io v5 packets a runner exchanges with PeerTube's `/runners`
/// namespace, as text frames over a WebSocket (runner-protocol.md §9). Written by hand: no
/// socket.io client is among the packages this project builds with, and a runner needs five
/// packet kinds.
public enum SocketIOPacket: Equatable, Sendable {
    /// Engine.IO open (`0{…}`): the server's ping interval and timeout, in milliseconds.
    case open(pingInterval: Int, pingTimeout: Int)
    /// Engine.IO ping (`2`): answered with a pong (`3`).
    case ping
    /// Engine.IO close (`1`).
    case close
    /// socket.io connect acknowledged for a namespace (`40/runners,{"sid":…}`).
    case connected(namespace: String)
    /// socket.io connect refused (`44/runners,{"message":…}`).
    case connectError(namespace: String, message: String)
    /// socket.io event (`42/runners,["available-jobs", …]`): its name.
    case event(namespace: String, name: String)
    /// socket.io disconnect (`41/runners,`).
    case disconnected(namespace: String)
    /// Anything else (binary events, acks, upgrade probes): ignored.
    case other

    public static func parse(_ text: String) -> SocketIOPacket {
        guard let kind = text.first else { return .other }
        let rest = text.dropFirst()
        switch kind {
        case "0":
            let open = (try? JSONSerialization.jsonObject(with: Data(rest.utf8))) as? [String: Any]
            return .open(pingInterval: open?["pingInterval"] as? Int ?? 25000, pingTimeout: open?["pingTimeout"] as? Int ?? 20000)
        case "1": return .close
        case "2": return .ping
        case "4": return socketIO(rest)
        default: return .other
        }
    }

    /// A socket.io packet inside an Engine.IO message: type digit, `/namespace,`, optional ack
    /// id, JSON data.
    private static func socketIO(_ text: Substring) -> SocketIOPacket {
        guard let kind = text.first else { return .other }
        var rest = text.dropFirst()
        var namespace = "/"
        if rest.first == "/" {
            let end = rest.firstIndex(of: ",") ?? rest.endIndex
            namespace = String(rest[..<end])
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
        }
        rest = rest.drop { $0.isNumber }  // an ack id
        let data = (try? JSONSerialization.jsonObject(with: Data(rest.utf8), options: [.fragmentsAllowed]))
        switch kind {
        case "0": return .connected(namespace: namespace)
        case "1": return .disconnected(namespace: namespace)
        case "2":
            guard let name = (data as? [Any])?.first as? String else { return .other }
            return .event(namespace: namespace, name: name)
        case "4":
            let message = (data as? [String: Any])?["message"] as? String ?? (data as? String) ?? "refused"
            return .connectError(namespace: namespace, message: message)
        default: return .other
        }
    }

    /// `40/runners,{"runnerToken":"…"}`: joins the namespace with the handshake's `auth`.
    public static func connect(namespace: String, auth: [String: String]) -> String {
        let json = (try? JSONSerialization.data(withJSONObject: auth, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "40\(namespace),\(json)"
    }

    public static let pong = "3"
}
