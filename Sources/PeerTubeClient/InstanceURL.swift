import Foundation

/// An instance's base URL as Sluice keeps it.
public enum InstanceURL {
    /// `https://Host/` and `https://host` name the same instance: no trailing slash, no spaces.
    public static func normalized(_ url: String) -> String {
        var value = url.trimmingCharacters(in: .whitespaces)
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }
}

extension InstanceURL {
    /// Refuses an instance URL that would send a password or token in the clear: plain `http`
    /// is allowed only to loopback (a test instance, an SSH tunnel) unless `allowInsecure`.
    public static func checkSecure(_ url: String, allowInsecure: Bool) throws(InstanceError) {
        guard let components = URLComponents(string: normalized(url)), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw InstanceError(status: nil, code: nil, detail: "\(url) is not an instance URL (https://host)")
        }
        guard scheme == "https" || scheme == "http" else {
            throw InstanceError(status: nil, code: nil, detail: "\(url): only https:// (or http:// to this machine) is supported")
        }
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        if scheme == "http" && !loopback && !allowInsecure {
            throw InstanceError(status: nil, code: nil,
                                detail: "\(url) is plain HTTP: credentials would travel unencrypted (use https://, or --allow-insecure-http)")
        }
    }
}
