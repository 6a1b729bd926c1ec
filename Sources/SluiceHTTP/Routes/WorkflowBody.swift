import Foundation
import Hummingbird
import SluiceEngine

/// The fields of a Workflow resource a create or patch may set: `sourceContents` and
/// `serviceAccount` (an email, or `projects/P/serviceAccounts/EMAIL` as Google writes it).
struct WorkflowBody {
    var sourceContents: String?
    var serviceAccount: String?

    init(_ request: Request, context: SluiceRequestContext) async throws {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        else {
            throw GoogleErrorResponse.invalidArgument("the request body must be a Workflow JSON object")
        }
        let object = try ProtoJSONNames.normalized(parsed, mapFields: ["labels", "userEnvVars"])
        if let source = object["sourceContents"] {
            guard let text = source as? String else {
                throw GoogleErrorResponse.invalidArgument("sourceContents must be a string")
            }
            sourceContents = text
        }
        if let account = object["serviceAccount"] {
            guard let text = account as? String else {
                throw GoogleErrorResponse.invalidArgument("serviceAccount must be a string")
            }
            serviceAccount = text.isEmpty ? nil : Self.email(text)
        }
    }

    /// `current` with this body's fields applied: those `mask` names (JSON or proto names), or
    /// without a mask those the body carries (a patch never clears what it does not mention).
    func patching(_ current: WorkflowCatalog.Summary, mask: [String]?) throws -> (
        source: String, serviceAccount: String?
    ) {
        guard let mask else { return (sourceContents ?? current.source, serviceAccount ?? current.serviceAccount) }
        var result = (source: current.source, serviceAccount: current.serviceAccount)
        for field in mask.map(ProtoJSONNames.lowerCamelCase) {
            switch field {
            case "sourceContents":
                guard let sourceContents else {
                    throw GoogleErrorResponse.invalidArgument("updateMask names sourceContents, which the body lacks")
                }
                result.source = sourceContents
            case "serviceAccount": result.serviceAccount = serviceAccount
            case _ where Self.otherFields.contains(field): continue
            default:
                throw GoogleErrorResponse.invalidArgument(
                    "updateMask names \(field), which is not a field of a Workflow")
            }
        }
        return result
    }

    /// The Workflow fields besides the two Sluice keeps: a mask may name them (Google accepts
    /// them), and they change nothing here. Any other name is INVALID_ARGUMENT, as at Google,
    /// rather than a patch that silently does nothing.
    static let otherFields: Set<String> = [
        "name", "description", "state", "revisionId", "createTime", "updateTime", "revisionCreateTime", "labels",
        "cryptoKeyName", "stateError", "callLogLevel", "userEnvVars", "executionHistoryLevel", "allKmsKeys",
        "allKmsKeysVersions", "cryptoKeyVersion", "tags",
    ]

    /// The email of `projects/P/serviceAccounts/EMAIL`, or the text itself.
    static func email(_ text: String) -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "projects", parts[2] == "serviceAccounts" { return String(parts[3]) }
        return text
    }
}
