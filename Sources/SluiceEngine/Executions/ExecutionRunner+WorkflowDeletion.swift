import Logging
public import SluiceCore
import SluiceLog

extension ExecutionRunner {
    /// Deletes workflow `name` as Workflows v1's delete does, which "also cancels and deletes all
    /// running executions of the workflow": records the delete, then cancels every execution of
    /// the deleted workflow that has not ended, through ``cancel(_:reason:principal:)``, so a busy
    /// execution stops at its next append. Throws `notFound` when the workflow is not deployed.
    ///
    /// The delete goes first so that no new execution starts on the workflow while its executions
    /// are cancelled. An execution started on a workflow re-created meanwhile is on a revision
    /// after the delete and is left alone. The executions stay in the log; the Executions API no
    /// longer shows them (``WorkflowCatalog/deletedThrough(of:)``).
    @discardableResult
    public func deleteWorkflow(_ name: String, principal: String?) async throws(SluiceError)
        -> WorkflowCatalog.Deletion
    {
        let deletion = try await catalog.delete(name: name, principal: principal)
        let reason = "the workflow \(name) was deleted"
        for id in try await unendedExecutions(of: name, before: deletion.version) {
            do {
                try await cancel(id, reason: reason, principal: principal)
            } catch  where error.code == .failedPrecondition {
                continue  // it ended meanwhile
            } catch {
                logger.error(
                    "an execution of a deleted workflow was not cancelled",
                    metadata: ["execution.id": "\(id)", "workflow.name": "\(name)", "error": "\(error)"])
            }
        }
        return deletion
    }

    /// The executions of `workflow` pinned to a revision before `version` of its stream whose
    /// stream does not end with an ending.
    private func unendedExecutions(of workflow: String, before version: Int64) async throws(SluiceError)
        -> [ExecutionID]
    {
        let endings: Set<String> = [
            ExecutionEventType.succeeded, ExecutionEventType.failed, ExecutionEventType.cancelled,
        ]
        var found: [ExecutionID] = []
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(
                    streamPrefix: "execution/", types: [ExecutionEventType.started],
                    predicates: [
                        try FieldPredicate(
                            root: .data, path: ["workflow"], comparison: .equal, value: .string(workflow)),
                        try FieldPredicate(
                            root: .data, path: ["revision"], comparison: .less, value: .integer(version)),
                    ],
                    after: after, limit: 1_000))
            for event in page.events {
                guard let id = try? ExecutionID(String(event.stream.rawValue.dropFirst("execution/".count))),
                    ended.ending(of: id) == nil
                else { continue }
                let last = try await log.streamVersion(event.stream)
                let tail = try await log.readStream(event.stream, from: last, limit: 1)
                if let type = tail.first?.type, endings.contains(type) { continue }
                found.append(id)
            }
            guard let cursor = page.nextCursor else { return found }
            after = cursor
        }
    }
}
