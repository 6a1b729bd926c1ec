import OrderedCollections
import Synchronization

/// Executions this process saw end, with their endings.
///
/// The scheduler learns of an execution's start twice, from the function that ran it and from the
/// log's tail, and when the tail comes first it waits for the function's run and then asks the
/// runner to go on. For a pipeline's execution, started, run and ended in one append, that meant
/// reading back and decoding the whole history only to find the ending the run had just recorded.
/// An ending once recorded never changes, so the runner answers from here instead.
final class EndedExecutions: Sendable {
    /// Endings remembered at most, oldest forgotten first.
    static let capacity = 4_096

    private let endings = Mutex<OrderedDictionary<String, ExecutionHistory.Ending>>([:])

    func record(_ id: ExecutionID, _ ending: ExecutionHistory.Ending) {
        endings.withLock { endings in
            endings[id.rawValue] = ending
            if endings.count > Self.capacity { endings.removeFirst(endings.count - Self.capacity) }
        }
    }

    func ending(of id: ExecutionID) -> ExecutionHistory.Ending? {
        endings.withLock { $0[id.rawValue] }
    }
}
