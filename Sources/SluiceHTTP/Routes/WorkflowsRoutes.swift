import Foundation
public import Hummingbird
import SluiceCore
public import SluiceEngine
import SluiceLog

/// Workflows v1: create (as a long-running operation that is already done), get, list, patch,
/// and the operations the official client polls.
public struct WorkflowsRoutes: Sendable {
    let catalog: WorkflowCatalog

    public init(catalog: WorkflowCatalog) {
        self.catalog = catalog
    }

    public func add(to router: Router<some RequestContext>) {
        let base = "/v1/projects/:project/locations/:location"
        router.post(RouterPath("\(base)/workflows")) { request, context in
            let (project, location) = try Self.scope(context)
            guard let name = request.uri.queryParameters.get("workflowId") else {
                throw GoogleErrorResponse.invalidArgument("workflowId is required")
            }
            let source = try await Self.sourceContents(request, context: context)
            return try await deploy(name, source: source, project: project, location: location)
        }
        router.patch(RouterPath("\(base)/workflows/:workflow")) { request, context in
            let (project, location) = try Self.scope(context)
            let name = try context.parameters.require("workflow")
            _ = try await summary(name)
            let source = try await Self.sourceContents(request, context: context)
            return try await deploy(name, source: source, project: project, location: location)
        }
        router.get(RouterPath("\(base)/workflows/:workflow")) { _, context in
            let (project, location) = try Self.scope(context)
            let summary = try await summary(try context.parameters.require("workflow"))
            return JSONObject.response(Self.resource(summary, project: project, location: location))
        }
        router.get(RouterPath("\(base)/workflows")) { _, context in
            let (project, location) = try Self.scope(context)
            let all: [WorkflowCatalog.Summary]
            do { all = try await catalog.summaries() } catch { throw GoogleErrorResponse(error) }
            var body = JSONObject([:])
            body.set("workflows", .array(all.map { .object(Self.resource($0, project: project, location: location)) }))
            return JSONObject.response(body)
        }
        router.get(RouterPath("\(base)/operations/:operation")) { _, context in
            let (project, location) = try Self.scope(context)
            let operation = try context.parameters.require("operation")
            guard operation.hasPrefix("deploy-"), let dash = operation.lastIndex(of: "-"),
                let revision = Int64(operation[operation.index(after: dash)...])
            else { throw GoogleErrorResponse.notFound("operation \(operation) does not exist") }
            let name = String(operation.dropFirst("deploy-".count).prefix(upTo: dash))
            let summary = try await summary(name)
            guard revision <= summary.revision else {
                throw GoogleErrorResponse.notFound("operation \(operation) does not exist")
            }
            return JSONObject.response(Self.operation(summary, project: project, location: location))
        }
    }

    private func deploy(_ name: String, source: String, project: String, location: String) async throws -> Response {
        do {
            try await catalog.deploy(name: name, source: source, principal: "api")
            let summary = try await catalog.summary(of: name)
            return JSONObject.response(Self.operation(summary, project: project, location: location))
        } catch {
            throw GoogleErrorResponse(error)
        }
    }

    private func summary(_ name: String) async throws -> WorkflowCatalog.Summary {
        do { return try await catalog.summary(of: name) } catch { throw GoogleErrorResponse(error) }
    }

    static func scope(_ context: some RequestContext) throws -> (String, String) {
        (try context.parameters.require("project"), try context.parameters.require("location"))
    }

    private static func sourceContents(_ request: Request, context: some RequestContext) async throws -> String {
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        else {
            throw GoogleErrorResponse.invalidArgument("the request body must be a Workflow JSON object")
        }
        guard let source = object["sourceContents"] as? String else {
            throw GoogleErrorResponse.invalidArgument("sourceContents is required")
        }
        return source
    }

    static func revisionID(_ revision: Int64) -> String { String(format: "%06d-000", revision) }

    static func resource(_ summary: WorkflowCatalog.Summary, project: String, location: String) -> JSONObject {
        JSONObject([
            "name": .string("projects/\(project)/locations/\(location)/workflows/\(summary.name)"),
            "state": .string("ACTIVE"),
            "revisionId": .string(revisionID(summary.revision)),
            "createTime": .string(Timestamps.rfc3339(summary.createdAt, fractionDigits: 6)),
            "updateTime": .string(Timestamps.rfc3339(summary.updatedAt, fractionDigits: 6)),
            "revisionCreateTime": .string(Timestamps.rfc3339(summary.updatedAt, fractionDigits: 6)),
            "sourceContents": .string(summary.source),
        ])
    }

    /// Deploys finish before the response, so the operation is always done.
    static func operation(_ summary: WorkflowCatalog.Summary, project: String, location: String) -> JSONObject {
        var response = resource(summary, project: project, location: location)
        response.fields.insert(("@type", .string("type.googleapis.com/google.cloud.workflows.v1.Workflow")), at: 0)
        return JSONObject([
            "name": .string(
                "projects/\(project)/locations/\(location)/operations/deploy-\(summary.name)-\(summary.revision)"),
            "metadata": .object(
                JSONObject([
                    "@type": .string("type.googleapis.com/google.cloud.workflows.v1.OperationMetadata"),
                    "createTime": .string(Timestamps.rfc3339(summary.updatedAt, fractionDigits: 6)),
                    "endTime": .string(Timestamps.rfc3339(summary.updatedAt, fractionDigits: 6)),
                    "target": .string("projects/\(project)/locations/\(location)/workflows/\(summary.name)"),
                    "verb": .string(summary.revision == 1 ? "create" : "update"),
                    "apiVersion": .string("v1"),
                ])),
            "done": .bool(true),
            "response": .object(response),
        ])
    }
}
