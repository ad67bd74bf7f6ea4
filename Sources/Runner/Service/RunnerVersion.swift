/// The version sent to instances with `/register` and `/jobs/request` (`x.y.z`, as PeerTube validates it).
public enum RunnerVersion {
    public static let current = "0.1.0"
}
