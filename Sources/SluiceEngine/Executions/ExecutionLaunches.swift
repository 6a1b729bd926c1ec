/// Executions this process has just started, announced to the scheduler as soon as their start
/// is durable so they run without waiting for the log's tail to bring the event round. The tail
/// stays the path of record: an announcement that is dropped (a full buffer, no scheduler) only
/// costs that wait.
public final class ExecutionLaunches: Sendable {
    let stream: AsyncStream<ExecutionID>
    private let continuation: AsyncStream<ExecutionID>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(4_096))
    }

    func announce(_ id: ExecutionID) {
        continuation.yield(id)
    }
}
