import Foundation

/// The logins of a state folder, one owner-only file per instance under `STATE/logins/`, so
/// several instances can be logged in at once and a refreshed token replaces its file atomically.
public struct LoginStore: Sendable {
    public let folder: URL

    public init(state: URL) {
        folder = state.appendingPathComponent("logins", isDirectory: true)
    }

    /// `host[_port]`: one file per instance whatever path or scheme spelling the user typed.
    static func fileName(for instance: String) -> String {
        let components = URLComponents(string: InstanceURL.normalized(instance))
        let host = components?.host ?? instance
        let name = host + (components?.port.map { "_\($0)" } ?? "")
        return name.replacingOccurrences(of: "[^A-Za-z0-9._-]", with: "_", options: .regularExpression) + ".json"
    }

    public func load(_ instance: String) -> StoredLogin? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(Self.fileName(for: instance))) else { return nil }
        return try? JSONDecoder.logins.decode(StoredLogin.self, from: data)
    }

    public func save(_ login: StoredLogin) throws {
        try OwnerOnlyFile.replace(folder.appendingPathComponent(Self.fileName(for: login.instance)),
                                  with: try JSONEncoder.logins.encode(login))
    }

    public func remove(_ instance: String) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(Self.fileName(for: instance)))
    }

    public func all() -> [StoredLogin] {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }.compactMap {
            (try? Data(contentsOf: $0)).flatMap { try? JSONDecoder.logins.decode(StoredLogin.self, from: $0) }
        }
    }
}

extension JSONEncoder {
    static let logins: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()
}

extension JSONDecoder {
    static let logins: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
