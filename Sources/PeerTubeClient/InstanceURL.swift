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
