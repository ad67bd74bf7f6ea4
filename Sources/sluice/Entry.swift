import Dispatch
import Foundation
import Jobs

/// The process entry. `sluice job-spawner` is served before anything else runs: it forks one
/// process per job, and a fork is a clean copy only of a process with a single thread, before
/// Swift concurrency and Dispatch have started theirs. Every other command runs through
/// swift-argument-parser's async main.
@main
enum Entry {
    static func main() {
        if CommandLine.arguments.dropFirst().first == "job-spawner" {
            exit(JobSpawner.serve())
        }
        Task {
            await Sluice.main()
            exit(0)
        }
        dispatchMain()
    }
}
