import ArgumentParser
import Foundation
import NIOHTTP1
import SluiceStack

/// `apply` and `destroy` with `--server`: the stack file and the files it names go to the
/// server's stack API, which plans and applies on its own log; the output is the local command's.
struct RemoteStack {
    let client: SluiceAPIClient

    func apply(_ file: String, yes: Bool, planOnly: Bool) async throws {
        let (stack, bundle) = try StackLoading.bundle(file)
        let planned = try await client.json(.POST, "/v1/sluice/stacks:plan", body: Self.body(bundle))
        let changes = planned["changes"] as? [[String: Any]] ?? []
        for change in changes { StandardOutput.line(Self.line(change)) }
        StandardOutput.line("plan: " + (planned["summary"] as? String ?? ""))
        let hasChanges = changes.contains { $0["action"] as? String != "UNCHANGED" }
        guard hasChanges, !planOnly else {
            if !hasChanges { ApplyCommand.printOutputs(stack) }
            return
        }
        guard yes || StackLoading.confirm("apply these changes to \(client.base)?") else {
            throw ValidationError("not applied: answer y, or pass --yes")
        }
        var body = Self.body(bundle)
        body["planDigest"] = planned["planDigest"]
        _ = try await client.json(.POST, "/v1/sluice/stacks:apply", body: body)
        StandardOutput.line("applied stack \(stack.name)")
        ApplyCommand.printOutputs(stack)
    }

    func destroy(_ file: String, yes: Bool) async throws {
        let stack = try StackLoading.load(file)
        let path = "/v1/sluice/stacks/" + SluiceAPIClient.encoded(stack.name)
        let owned = try await client.json(.GET, path)["resources"] as? [String] ?? []
        guard try StackLoading.confirmDestroy(owned, of: stack.name, at: client.base, yes: yes) else { return }
        _ = try await client.json(.POST, path + ":destroy")
        StandardOutput.line("destroyed stack \(stack.name)")
    }

    /// The request body: the stack file's text and the files it names, base64.
    static func body(_ bundle: StackBundle) -> [String: Any] {
        [
            "path": bundle.path, "contents": bundle.yaml,
            "files": bundle.files.mapValues { Data($0).base64EncodedString() },
        ]
    }

    /// A change as the local plan prints it: `+ topic/uploads`, `~ workflow/w (a new revision)`.
    static func line(_ change: [String: Any]) -> String {
        let action = (change["action"] as? String).flatMap { StackPlan.Change.Action(rawValue: $0.lowercased()) }
        let resource = change["resource"] as? String ?? ""
        guard let action else { return "? \(resource)" }
        return StackPlan.Change(action, resource, change["detail"] as? String ?? "").line
    }
}
