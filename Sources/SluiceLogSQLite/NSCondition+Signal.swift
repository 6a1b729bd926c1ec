import Foundation

extension NSCondition {
    /// Changes what the condition guards and wakes its waiting thread: the one way the log's
    /// threads (syncer, checkpointer, writeback) are handed work or told to stop.
    func signalAfter(_ change: () -> Void) {
        lock()
        change()
        signal()
        unlock()
    }
}
