import ArgumentParser
import Dispatch
import Foundation
import Logging
import SluiceLogSQLite

/// `sluice serve`: runs Sluice as a long-lived service.
///
/// Until the HTTP server exists it opens the event log, says plainly that nothing else runs
/// yet, and holds the log open until SIGINT or SIGTERM, then closes it cleanly.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Sluice service (today: the event log only; the HTTP API is not built yet)."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = CommandLogging.logger(label: "sluice.serve")
        let log = try await database.open()
        let head = try await log.headPosition()
        StandardOutput.line("sluice: event log open at \(database.path) (\(head) events)")
        StandardOutput.line(
            "sluice: the HTTP API, pipeline engine and example stack are not built yet; press Ctrl-C to stop")
        let received = await ShutdownSignal.wait()
        logger.info("shutting down", metadata: ["signal": "\(received)"])
        await log.close()
        StandardOutput.line("sluice: event log closed")
    }
}

/// Waits for SIGINT or SIGTERM without blocking a cooperative thread.
enum ShutdownSignal {
    static func wait() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let queue = DispatchQueue(label: "sluice-shutdown-signal")
            let resumed = Resumed()
            var sources: [any DispatchSourceSignal] = []
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    guard resumed.claim() else { return }
                    continuation.resume(returning: number)
                }
                source.resume()
                sources.append(source)
            }
            Holder.sources = sources
        }
    }

    /// Keeps the signal sources alive for the life of the process.
    private enum Holder {
        nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
    }

    /// Resumes the continuation once even if both signals arrive.
    private final class Resumed: @unchecked Sendable {
        private var done = false
        private let lock = NSLock()
        func claim() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if done { return false }
            done = true
            return true
        }
    }
}
