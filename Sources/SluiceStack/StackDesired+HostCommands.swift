import Foundation
import SluiceResources

extension StackDesired {
    /// The resources of the stack that run programs on the server itself: functions with a
    /// `command` target and models served by a worker command. Applying them gives whoever applies
    /// the stack the server's own account, so the API asks an admin token for them.
    public var hostCommandResources: [String] {
        functions.filter {
            if case .command = $0.target { return true }
            return false
        }.map { "function \($0.name)" }
            + models.filter { $0.isWorkerCommand }.map { "model \($0.name)" }
    }
}

extension StackDesired.Model {
    /// Whether a worker command serves the model: its document, written by the stack or read from
    /// a file, has the format `sluice.worker.v1`.
    var isWorkerCommand: Bool {
        let document = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
        return document?["format"] as? String == "sluice.worker.v1"
    }
}
