/// PeerTube's privacy levels a publication can ask for (password-protected videos need
/// passwords Sluice does not manage).
public enum Privacy: String, Sendable, Codable, CaseIterable {
    case `public`, unlisted, `private`, `internal`

    /// The id the API takes (1 public, 2 unlisted, 3 private, 4 internal).
    public var id: Int {
        switch self {
        case .public: 1
        case .unlisted: 2
        case .private: 3
        case .internal: 4
        }
    }
}
