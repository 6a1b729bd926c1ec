import Foundation
import Hummingbird
import SluiceCore
import SluiceStack

/// Sluice's own stack API, what `sluice apply|destroy --server` call: the client sends its stack
/// file with the files it names (`{"path", "contents", "files": {PATH: BASE64}}`) and the server
/// plans and applies it on its own log, with the caller's token as the principal.
///
/// - `POST /v1/sluice/stacks:plan` (viewer): the plan, its digest and the stack's outputs.
/// - `POST /v1/sluice/stacks:apply` (editor): applies; with `planDigest` only the plan the caller
///   confirmed (FAILED_PRECONDITION when it has changed since). A stack with resources that run
///   commands on the server (command functions, worker-command models) needs admin: applying it
///   is running code as the server's own account.
/// - `GET /v1/sluice/stacks/NAME` (viewer): what the stack owns.
/// - `POST /v1/sluice/stacks/NAME:destroy` (editor): deletes what it owns.
///
/// Applies and destroys run one at a time, so two clients never interleave their plans.
struct StackRoutes: Sendable {
    let applier: StackApplier
    let operations = OneAtATime()

    func add(to routes: RoleRoutes) {
        routes(.viewer).post("/v1/sluice/stacks:plan") { request, context in
            let (desired, _) = try await Self.stack(request, context: context)
            let plan = try await WorkflowsRoutes.mapped { try await applier.plan(desired) }
            return JSONObject.response(Self.render(plan, of: desired))
        }
        routes(.editor).post("/v1/sluice/stacks:apply") { request, context in
            let (desired, digest) = try await Self.stack(request, context: context)
            let commands = await applier.hostCommandResources(desired)
            if let token = context.token, token.role < .admin, !commands.isEmpty {
                throw GoogleErrorResponse.permissionDenied(
                    "token \(token.id) has role \(token.role.rawValue); a stack that runs commands on the server ("
                        + commands.joined(separator: ", ") + ") needs admin")
            }
            let acting = applier.acting(as: context.principal)
            let plan = try await operations.run {
                try await WorkflowsRoutes.mapped { try await acting.apply(desired, expectedDigest: digest) }
            }
            return JSONObject.response(Self.render(plan, of: desired))
        }
        routes(.viewer).get("/v1/sluice/stacks/:name") { _, context in
            let name = try context.parameters.decoded("name")
            let owned = try await WorkflowsRoutes.mapped { try await applier.owned(by: name) }
            return JSONObject.response(
                JSONObject(["stack": .string(name), "resources": .array(owned.map(JSONField.string))]))
        }
        routes(.editor).post("/v1/sluice/stacks/:name") { _, context in
            let target = try context.parameters.decoded("name")
            guard target.hasSuffix(":destroy") else { throw GoogleErrorResponse.notFound("no method \(target)") }
            let name = String(target.dropLast(":destroy".count))
            let acting = applier.acting(as: context.principal)
            let destroyed = try await operations.run {
                try await WorkflowsRoutes.mapped { try await acting.destroy(name) }
            }
            return JSONObject.response(
                JSONObject(["stack": .string(name), "destroyed": .array(destroyed.map(JSONField.string))]))
        }
    }

    /// The stack a request carries, resolved, and the plan digest it confirms, if any.
    private static func stack(_ request: Request, context: SluiceRequestContext) async throws -> (
        StackDesired, String?
    ) {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        else {
            throw GoogleErrorResponse.invalidArgument("the request body must be a JSON object")
        }
        guard let contents = object["contents"] as? String else {
            throw GoogleErrorResponse.invalidArgument("contents (the stack file's YAML) is required")
        }
        var files: [String: [UInt8]] = [:]
        for (path, value) in object["files"] as? [String: Any] ?? [:] {
            guard let text = value as? String, let bytes = Data(base64Encoded: text) else {
                throw GoogleErrorResponse.invalidArgument("files.\(path) must be base64")
            }
            files[path] = Array(bytes)
        }
        if let given = object["files"], !(given is [String: Any]) {
            throw GoogleErrorResponse.invalidArgument("files must map paths to base64 contents")
        }
        let digest = object["planDigest"]
        guard digest == nil || digest is String else {
            throw GoogleErrorResponse.invalidArgument("planDigest must be a string")
        }
        let bundle = StackBundle(path: object["path"] as? String ?? "stack.yaml", yaml: contents, files: files)
        let desired = try await WorkflowsRoutes.mapped { try bundle.desired() }
        return (desired, digest as? String)
    }

    private static func render(_ plan: StackPlan, of desired: StackDesired) -> JSONObject {
        var outputs = JSONObject([:])
        for key in desired.outputs.keys.sorted() { outputs.set(key, .string(desired.outputs[key] ?? "")) }
        return JSONObject([
            "stack": .string(desired.name),
            "changes": .array(
                plan.changes.map { change in
                    .object(
                        JSONObject([
                            "action": .string(change.action.rawValue.uppercased()),
                            "resource": .string(change.resource), "detail": .string(change.detail),
                        ]))
                }),
            "summary": .string(plan.summary),
            "planDigest": .string(plan.digest),
            "outputs": .object(outputs),
        ])
    }
}

/// Runs operations one after another, in the order they arrive.
actor OneAtATime {
    private var last: Task<Void, Never>?

    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = last
        let task = Task {
            await previous?.value
            return try await body()
        }
        last = Task { _ = await task.result }
        return try await task.value
    }
}
