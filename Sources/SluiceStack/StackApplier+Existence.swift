import SluiceCore
import SluiceEngine
import SluiceResources

extension StackApplier {
    /// Whether `resource` (`KIND/NAME`, as a stack records it) exists: what an apply cut short
    /// had created of what it meant to create.
    func exists(_ resource: String) async throws(SluiceError) -> Bool {
        guard let slash = resource.firstIndex(of: "/") else { return false }
        let name = String(resource[resource.index(after: slash)...])
        switch resource[..<slash] {
        case "bucket": return (try? await storage.bucket(name)) != nil
        case "topic": return try await pubsub.topicExists(name)
        case "subscription": return (try? await pubsub.subscription(name)) != nil
        case "workflow": return (try? await catalog.summary(of: name)) != nil
        case "function": return try await functions.function(name) != nil
        case "model":
            do { return try await models.installed(name) != nil } catch {
                throw SluiceError(.storageFailure, "cannot read model \(name): \(error)")
            }
        default: return false
        }
    }
}
