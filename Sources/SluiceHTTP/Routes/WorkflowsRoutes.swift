import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceLog

/// Workflows v1: create, patch and delete (as long-running operations that are already done),
/// get (optionally one revision), list, `:listRevisions`, and the operations the client polls.
/// A delete cancels the workflow's executions that have not ended, as Google's does.
struct WorkflowsRoutes: Sendable {
    let catalog: WorkflowCatalog
    let runner: ExecutionRunner

    func add(to routes: RoleRoutes) {
        let base = "/v1/projects/:project/locations/:location"
        routes(.editor).post(RouterPath("\(base)/workflows")) { request, context in
            let (project, location) = try Self.scope(context)
            guard let name = request.uri.queryParameters.get("workflowId") else {
                throw GoogleErrorResponse.invalidArgument("workflowId is required")
            }
            let body = try await WorkflowBody(request, context: context)
            guard let source = body.sourceContents else {
                throw GoogleErrorResponse.invalidArgument("sourceContents is required")
            }
            return try await deploy(
                name, source: source, serviceAccount: body.serviceAccount, project: project, location: location,
                context: context, creating: true)
        }
        routes(.editor).patch(RouterPath("\(base)/workflows/:workflow")) { request, context in
            let (project, location) = try Self.scope(context)
            let name = try context.parameters.decoded("workflow")
            let current = try await summary(name)
            let body = try await WorkflowBody(request, context: context)
            let query = request.uri.queryParameters
            let mask = (query.get("updateMask") ?? query.get("update_mask")).map {
                $0.split(separator: ",").map(String.init)
            }
            let updated = try body.patching(current, mask: mask)
            return try await deploy(
                name, source: updated.source, serviceAccount: updated.serviceAccount, project: project,
                location: location, context: context)
        }
        routes(.editor).delete(RouterPath("\(base)/workflows/:workflow")) { _, context in
            let (project, location) = try Self.scope(context)
            let name = try context.parameters.decoded("workflow")
            let deletion = try await Self.mapped {
                try await runner.deleteWorkflow(name, principal: context.principal)
            }
            return JSONObject.response(Self.deleteOperation(deletion, project: project, location: location))
        }
        routes(.viewer).get(RouterPath("\(base)/workflows/:workflow")) { request, context in
            let (project, location) = try Self.scope(context)
            let target = try context.parameters.decoded("workflow")
            if target.hasSuffix(":listRevisions") {
                let name = String(target.dropLast(":listRevisions".count))
                let revisions = try await Self.mapped { try await catalog.revisions(of: name) }
                let page = try Self.page(revisions, request.uri.queryParameters)
                var body = JSONObject([
                    "workflows": .array(
                        page.items.map { .object(Self.resource($0, project: project, location: location)) })
                ])
                body.set("nextPageToken", page.next.map { .string(String($0)) })
                return JSONObject.response(body)
            }
            let summary: WorkflowCatalog.Summary
            if let revisionID = request.uri.queryParameters.get("revisionId") {
                guard let revision = Self.revision(of: revisionID) else {
                    throw GoogleErrorResponse.invalidArgument("revisionId '\(revisionID)' is not a revision id")
                }
                summary = try await Self.mapped { try await catalog.summary(of: target, revision: revision) }
            } else {
                summary = try await self.summary(target)
            }
            return JSONObject.response(Self.resource(summary, project: project, location: location))
        }
        routes(.viewer).get(RouterPath("\(base)/workflows")) { _, context in
            let (project, location) = try Self.scope(context)
            let all = try await Self.mapped { try await catalog.summaries() }
            var body = JSONObject([:])
            body.set("workflows", .array(all.map { .object(Self.resource($0, project: project, location: location)) }))
            return JSONObject.response(body)
        }
        routes(.viewer).get(RouterPath("\(base)/operations/:operation")) { _, context in
            let (project, location) = try Self.scope(context)
            return JSONObject.response(
                try await operation(try context.parameters.decoded("operation"), project: project, location: location))
        }
    }

    /// `deploy-NAME-REVISION` or `delete-NAME-VERSION`, as create, patch and delete named them.
    private func operation(_ operation: String, project: String, location: String) async throws -> JSONObject {
        let unknown = GoogleErrorResponse.notFound("operation \(operation) does not exist")
        guard let dash = operation.lastIndex(of: "-"), let number = Int64(operation[operation.index(after: dash)...])
        else { throw unknown }
        if operation.hasPrefix("deploy-") {
            let name = String(operation.dropFirst("deploy-".count).prefix(upTo: dash))
            let summary = try await summary(name)
            guard number <= summary.revision else { throw unknown }
            return Self.operation(summary, project: project, location: location)
        }
        if operation.hasPrefix("delete-") {
            let name = String(operation.dropFirst("delete-".count).prefix(upTo: dash))
            guard let deletion = try? await catalog.deletion(of: name, version: number) else { throw unknown }
            return Self.deleteOperation(deletion, project: project, location: location)
        }
        throw unknown
    }

    private func deploy(
        _ name: String, source: String, serviceAccount: String?, project: String, location: String,
        context: SluiceRequestContext, creating: Bool = false
    ) async throws -> Response {
        let summary = try await Self.mapped {
            try await catalog.deploy(
                name: name, source: source, principal: context.principal, creating: creating,
                serviceAccount: serviceAccount)
            return try await catalog.summary(of: name)
        }
        return JSONObject.response(Self.operation(summary, project: project, location: location))
    }

    private func summary(_ name: String) async throws -> WorkflowCatalog.Summary {
        try await Self.mapped { try await catalog.summary(of: name) }
    }

    /// Runs `body`, turning its error into Google's form.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw GoogleErrorResponse(error) }
    }

    static func scope(_ context: some RequestContext) throws -> (String, String) {
        (try context.parameters.decoded("project"), try context.parameters.decoded("location"))
    }

    /// `pageSize` items from the `pageToken` offset; the token of the next page, if any.
    private static func page<T>(_ items: [T], _ parameters: Parameters) throws -> (items: ArraySlice<T>, next: Int?) {
        let size = try ListPaging.pageSize(parameters.get("pageSize"))
        let start = Int(clamping: min(try ListPaging.pageToken(parameters.get("pageToken")) ?? 0, Int64(items.count)))
        let end = min(start + size, items.count)
        return (items[start..<end], end < items.count ? end : nil)
    }
}
