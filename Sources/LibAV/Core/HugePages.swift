internal import CSupport
import Foundation

/// Transparent huge pages, which x264 asks for on every large buffer (`MADV_HUGEPAGE`).
///
/// Each of its frame buffers is then rounded up to and faulted in as 2 MB pages: with six
/// encoders that is ~150 MB more resident memory and a second of the kernel clearing pages,
/// for no measurable speed gain (docs/benchmark.md). Set `SLUICE_HUGE_PAGES=1` to keep them.
public enum HugePages {
    private static let once: Bool = {
        guard ProcessInfo.processInfo.environment["SLUICE_HUGE_PAGES"] != "1" else { return false }
        return cffmpeg_disable_transparent_huge_pages() == 0
    }()

    /// Turns them off for this process (and the processes it starts), once. Returns whether
    /// they are off; false on kernels without the setting, which changes nothing else.
    @discardableResult
    public static func disableForProcess() -> Bool { once }
}
