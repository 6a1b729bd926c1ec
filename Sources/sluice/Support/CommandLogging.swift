import Foundation
import Logging
import Synchronization

/// Sets up swift-log once for the whole process; only the `sluice` executable does this.
enum CommandLogging {
    /// A level chosen by configuration before the first logger is made; it beats the environment.
    private static let chosenLevel = Mutex<Logger.Level?>(nil)

    private static let bootstrapped: Bool = {
        let level =
            chosenLevel.withLock { $0 }
            ?? ProcessInfo.processInfo.environment["SLUICE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return true
    }()

    /// Sets the level every logger gets; only effective before the first `logger(label:)`.
    static func use(level: Logger.Level) {
        chosenLevel.withLock { $0 = level }
    }

    /// A logger writing to standard error at the level in `SLUICE_LOG_LEVEL` (default warning).
    static func logger(label: String) -> Logger {
        _ = bootstrapped
        return Logger(label: label)
    }
}
