import Logging
import SluiceCore

extension LogWriter {
    /// Copies what the background checkpointer has not yet copied once the WAL passes its hard
    /// limit, so the next transaction can restart the WAL from its beginning. A busy result (the
    /// background pass is running) is fine: the next commit tries again.
    func finishCheckpointIfNeeded() {
        guard let checkpointer, checkpointer.writerShouldCheckpoint else { return }
        checkpoint()
    }

    /// On an idle writer: has the checkpointer copy the rest of the WAL once the log stays quiet,
    /// so readers use the main file and the next write restarts the WAL. Returns whether there
    /// was anything to copy.
    func checkpointIdle() -> Bool {
        guard let checkpointer, checkpointer.hasFrames else { return false }
        checkpointer.requestIdleCheckpoint()
        checkpointer.writerCheckpointed()
        return true
    }

    private func checkpoint() {
        do {
            // Busy means the background pass is running; what it copies has the same effect.
            if let checkpointer {
                try checkpointer.withWriteback { () throws(SluiceError) in
                    try connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                }
            } else {
                try connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            }
            checkpointer?.writerCheckpointed()
            statistics.recordCheckpoint(byWriter: true)
        } catch {
            logger.warning("checkpoint failed", metadata: ["log.error": "\(error)"])
        }
    }
}
