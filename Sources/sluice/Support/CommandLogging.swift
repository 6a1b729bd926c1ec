import Foundation
import Logging

/// Sets up swift-log once for the whole process; only the `sluice` executable does this.
enum CommandLogging {
    private static let bootstrapped: Bool = {
        let level =
            ProcessInfo.processInfo.environment["SLUICE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return true
    }()

    /// A logger writing to standard error at the level in `SLUICE_LOG_LEVEL` (default warning).
    static func logger(label: String) -> Logger {
        _ = bootstrapped
        return Logger(label: label)
    }
}
