import ArgumentParser
import Foundation
import Ladder
import Transcoding

/// Prints one clear line on stderr and exits non-zero, for the errors a user can act on.
enum CommandFailure {
    /// Exit statuses: 1 bad input, 2 usage or configuration, 3 output or internal failure, 130 interrupted.
    static func guarding<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TranscodeError {
            printLine("sluice: \(error.description)")
            switch error.kind {
            case .badInput: throw ExitCode(1)
            case .configuration: throw ExitCode(2)
            case .cancelled: throw ExitCode(130)
            case .output, .internalFailure, .noSpace, .crashed, .overMemory, .stalled, .sourceChanged: throw ExitCode(3)
            }
        } catch let error as PipelineError {
            printLine("sluice: \(error.description)")
            throw ExitCode(2)
        }
    }

    static func printLine(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
