import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows

/// Workflow Executions v1: create, get, list (filtered, ordered, paged) and cancel. The scheduler
/// runs what is created; these routes only record and read.
struct ExecutionsRoutes: Sendable {
    let runner: ExecutionRunner
    let catalog: WorkflowCatalog
    let log: any EventLog

    func add(to routes: RoleRoutes) {
        let base = "/v1/projects/:project/locations/:location/workflows/:workflow/executions"
        routes(.invoker).post(RouterPath(base)) { request, context in
            let (project, location) = try WorkflowsRoutes.scope(context)
            let workflow = try context.parameters.decoded("workflow")
            let (argument, labels) = try await Self.creation(request, limit: context.maxUploadSize)
            let id = try ExecutionID(UUID().uuidString.lowercased())
            do {
                let revision = try await catalog.latestRevision(of: workflow)
                var start = ExecutionStart(workflow: workflow, revision: revision, argument: argument)
                start.labels = labels
                try await runner.start(id, start, metadata: EventMetadata(principal: context.principal))
            } catch {
                throw GoogleErrorResponse(error)
            }
            return try await resource(id, of: workflow, project: project, location: location)
        }
        routes(.viewer).get(RouterPath("\(base)/:execution")) { _, context in
            let (project, location) = try WorkflowsRoutes.scope(context)
            let workflow = try context.parameters.decoded("workflow")
            let id = try Self.executionID(try context.parameters.decoded("execution"))
            return try await resource(id, of: workflow, project: project, location: location)
        }
        routes(.invoker).post(RouterPath("\(base)/:execution")) { _, context in
            let (project, location) = try WorkflowsRoutes.scope(context)
            let target = try context.parameters.decoded("execution")
            guard target.hasSuffix(":cancel") else { throw GoogleErrorResponse.notFound("no method \(target)") }
            let workflow = try context.parameters.decoded("workflow")
            let id = try Self.executionID(String(target.dropLast(":cancel".count)))
            // Checked first: a path through another workflow must not cancel anything.
            _ = try await history(id, of: workflow)
            do {
                try await runner.cancel(
                    id, reason: "cancelled through the Executions API", principal: context.principal)
            } catch {
                throw GoogleErrorResponse(error)
            }
            return try await resource(id, of: workflow, project: project, location: location)
        }
        routes(.viewer).get(RouterPath(base)) { request, context in
            let (project, location) = try WorkflowsRoutes.scope(context)
            return try await list(
                request, workflow: try context.parameters.decoded("workflow"), in: (project, location))
        }
    }

    private func resource(_ id: ExecutionID, of workflow: String, project: String, location: String) async throws
        -> Response
    {
        JSONObject.response(try await json(id, of: workflow, project: project, location: location))
    }

    /// The history of execution `id` of `workflow`. An execution of another workflow does not
    /// exist under this one's path, as in Google's API: reading or cancelling it there is NOT_FOUND,
    /// and neither does one of a deleted workflow of the same name, which Google deletes with it.
    /// The workflow `-` (no workflow id can be that) stands for any, as `sluice --server` asks:
    /// Sluice's own view, which shows every execution the log holds. `deletedThrough` is the
    /// workflow's ``WorkflowCatalog/deletedThrough(of:)``, when the caller read it already.
    func history(_ id: ExecutionID, of workflow: String, deletedThrough: Int64? = nil) async throws
        -> ExecutionHistory
    {
        let history: ExecutionHistory
        do { history = try await runner.history(of: id) } catch { throw GoogleErrorResponse(error) }
        let missing = GoogleErrorResponse.notFound("execution \(id) of workflow \(workflow) does not exist")
        guard let start = history.start, workflow == "-" || start.workflow == workflow else { throw missing }
        if workflow != "-" {
            let deleted: Int64
            if let deletedThrough {
                deleted = deletedThrough
            } else {
                deleted = try await WorkflowsRoutes.mapped { try await catalog.deletedThrough(of: workflow) }
            }
            guard start.revision > deleted else { throw missing }
        }
        return history
    }

    private func json(_ id: ExecutionID, of workflow: String, project: String, location: String) async throws
        -> JSONObject
    {
        try json(id, history: try await history(id, of: workflow), project: project, location: location)
    }

    func json(_ id: ExecutionID, history: ExecutionHistory, project: String, location: String) throws -> JSONObject {
        guard let start = history.start else { preconditionFailure("a listed execution has started") }
        var object = JSONObject([
            "name": .string("projects/\(project)/locations/\(location)/workflows/\(start.workflow)/executions/\(id)"),
            "startTime": .string(Timestamps.rfc3339(history.startedAt, fractionDigits: 6)),
        ])
        if let endedAt = history.endedAt {
            object.set("endTime", .string(Timestamps.rfc3339(endedAt, fractionDigits: 6)))
            let seconds = Double(endedAt - history.startedAt) / 1_000_000
            object.set("duration", .string(String(format: "%.6fs", seconds)))
        }
        switch history.ending {
        case nil: object.set("state", .string("ACTIVE"))
        case .succeeded(let value)?:
            object.set("state", .string("SUCCEEDED"))
            object.set("result", .string((try? value.jsonString()) ?? "null"))
        case .failed(let error)?:
            object.set("state", .string("FAILED"))
            object.set(
                "error",
                .object(
                    JSONObject([
                        "payload": .string((try? error.errorMap.jsonString()) ?? "{}"),
                        "context": .string(error.message ?? ""),
                    ])))
        case .cancelled?:
            object.set("state", .string("CANCELLED"))
        }
        object.set("argument", .string((try? start.argument.jsonString()) ?? "null"))
        object.set("workflowRevisionId", .string(WorkflowsRoutes.revisionID(start.revision)))
        object.set("callLogLevel", .string("CALL_LOG_LEVEL_UNSPECIFIED"))
        if !start.labels.isEmpty {
            var labels = JSONObject([:])
            for (key, value) in start.labels.sorted(by: { $0.key < $1.key }) { labels.set(key, .string(value)) }
            object.set("labels", .object(labels))
        }
        if let step = history.lastStep {
            let current = JSONObject(["routine": .string(step.routine), "step": .string(step.step)])
            object.set("status", .object(JSONObject(["currentSteps": .array([.object(current)])])))
        }
        return object
    }

    static func executionID(_ text: String) throws -> ExecutionID {
        do { return try ExecutionID(text) } catch { throw GoogleErrorResponse(error) }
    }

    /// `{"argument": "<JSON text>", "labels": {...}}`, as the API takes it; an absent argument, or
    /// null as proto3 JSON writes an unset field, means null.
    private static func creation(_ request: Request, limit: Int) async throws -> (WorkflowValue, [String: String]) {
        let body = try await request.body.collect(upTo: limit)
        guard body.readableBytes > 0 else { return (.null, [:]) }
        let fields: WorkflowValue
        do { fields = try JSONReader.parse(String(buffer: body)) } catch {
            throw GoogleErrorResponse.invalidArgument("the request body is not JSON")
        }
        return (try argument(fields), try ExecutionLabels.parse(fields["labels"]))
    }

    private static func argument(_ fields: WorkflowValue) throws -> WorkflowValue {
        guard let argument = fields["argument"], argument != .null else { return .null }
        guard let text = argument.stringValue else {
            throw GoogleErrorResponse.invalidArgument("argument must be a string holding JSON")
        }
        do { return try JSONReader.parse(text) } catch {
            throw GoogleErrorResponse.invalidArgument("argument is not valid JSON")
        }
    }
}
