import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog

extension WorkflowsRoutes {
    static func revisionID(_ revision: Int64) -> String { String(format: "%06d-000", revision) }

    /// The revision number in `000003-000` (or a bare `3`).
    static func revision(of id: String) -> Int64? {
        Int64(id.split(separator: "-", maxSplits: 1).first ?? "").flatMap { $0 > 0 ? $0 : nil }
    }

    static func resource(_ summary: WorkflowCatalog.Summary, project: String, location: String) -> JSONObject {
        JSONObject([
            "name": .string("projects/\(project)/locations/\(location)/workflows/\(summary.name)"),
            "state": .string("ACTIVE"),
            "revisionId": .string(revisionID(summary.revision)),
            "createTime": .string(Timestamps.rfc3339(summary.createdAt, fractionDigits: 6)),
            "updateTime": .string(Timestamps.rfc3339(summary.updatedAt, fractionDigits: 6)),
            "revisionCreateTime": .string(Timestamps.rfc3339(summary.updatedAt, fractionDigits: 6)),
            "sourceContents": .string(summary.source),
            "serviceAccount": .string(
                "projects/\(project)/serviceAccounts/\(summary.serviceAccount ?? WorkflowCatalog.defaultServiceAccount)"
            ),
        ])
    }

    /// Deploys finish before the response, so the operation is always done.
    static func operation(_ summary: WorkflowCatalog.Summary, project: String, location: String) -> JSONObject {
        var response = resource(summary, project: project, location: location)
        response.fields.insert(("@type", .string("type.googleapis.com/google.cloud.workflows.v1.Workflow")), at: 0)
        return done(
            operation: "deploy-\(summary.name)-\(summary.revision)", workflow: summary.name,
            verb: summary.revision == 1 ? "create" : "update", at: summary.updatedAt, response: response,
            project: project, location: location)
    }

    /// A delete's operation: done, with `google.protobuf.Empty` as its response.
    static func deleteOperation(_ deletion: WorkflowCatalog.Deletion, project: String, location: String)
        -> JSONObject
    {
        done(
            operation: "delete-\(deletion.name)-\(deletion.version)", workflow: deletion.name, verb: "delete",
            at: deletion.deletedAt,
            response: JSONObject(["@type": .string("type.googleapis.com/google.protobuf.Empty")]),
            project: project, location: location)
    }

    private static func done(
        operation: String, workflow: String, verb: String, at time: Int64, response: JSONObject, project: String,
        location: String
    ) -> JSONObject {
        JSONObject([
            "name": .string("projects/\(project)/locations/\(location)/operations/\(operation)"),
            "metadata": .object(
                JSONObject([
                    "@type": .string("type.googleapis.com/google.cloud.workflows.v1.OperationMetadata"),
                    "createTime": .string(Timestamps.rfc3339(time, fractionDigits: 6)),
                    "endTime": .string(Timestamps.rfc3339(time, fractionDigits: 6)),
                    "target": .string("projects/\(project)/locations/\(location)/workflows/\(workflow)"),
                    "verb": .string(verb),
                    "apiVersion": .string("v1"),
                ])),
            "done": .bool(true),
            "response": .object(response),
        ])
    }
}
