import SluiceResources

extension StackApplier {
    /// The resources of `desired` that run programs on the server itself: functions with a
    /// `command` target and models a worker command serves. Applying them gives whoever applies
    /// the stack the server's own account, so the API asks an admin token for them. Models are
    /// judged by the installer, as the runtime that loads them will read them.
    public func hostCommandResources(_ desired: StackDesired) async -> [String] {
        var resources: [String] = []
        for function in desired.functions {
            if case .command = function.target { resources.append("function \(function.name)") }
        }
        for model in desired.models where await models.runsCommand(model.json) {
            resources.append("model \(model.name)")
        }
        return resources
    }
}
