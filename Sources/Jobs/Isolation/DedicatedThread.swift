import Foundation

/// Runs blocking work (FFmpeg calls, a child process's supervision) on a new thread and awaits
/// it, so it never holds a thread of Swift's cooperative pool.
enum DedicatedThread {
    static func run<T: Sendable>(named name: String, onCancel: @escaping @Sendable () -> Void,
                                 _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { try body() })
                }
                thread.name = name
                thread.start()
            }
        } onCancel: {
            onCancel()
        }
    }
}
