/// Executions this process has just started, announced to the scheduler as soon as their start
/// is durable so they run without waiting for the log's tail to bring the event round. The tail
/// stays the path of record: an announcement that is dropped (a full buffer, no scheduler) only
/// costs that wait.
public final class ExecutionLaunches: Sendable {
    /// An announced execution, and whether it still has to run (one started and ended in one
    /// append only has to be passed by when the tail brings its start).
    struct Launch: Sendable {
        var id: ExecutionID
        var needsRun: Bool
    }

    let stream: AsyncStream<Launch>
    private let continuation: AsyncStream<Launch>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(4_096))
    }

    func announce(_ id: ExecutionID) {
        continuation.yield(Launch(id: id, needsRun: true))
    }

    func announceFinished(_ id: ExecutionID) {
        continuation.yield(Launch(id: id, needsRun: false))
    }
}
