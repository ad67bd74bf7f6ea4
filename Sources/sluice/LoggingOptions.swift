import ArgumentParser
import Foundation
import Ingest
import Logging

/// `--log-format text|json` and `--log-level`, shared by the long-running commands.
struct LoggingOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case auto, text, json
    }

    @Option(help: "Log format: text, json, or auto (JSON lines when stderr is not a terminal).")
    var logFormat: Format = .auto

    @Option(help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func bootstrap() -> Logger {
        let json = logFormat == .json || (logFormat == .auto && isatty(STDERR_FILENO) != 1)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "sluice")
    }
}
