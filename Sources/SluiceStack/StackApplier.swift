import Foundation
public import SluiceCore
public import SluiceEngine
public import SluiceLog
public import SluiceResources

/// Plans and applies stacks against the log: creates what is missing, updates what differs,
/// deletes what an earlier apply of the same stack created and the file no longer declares.
/// Applying the same file twice changes nothing the second time.
public struct StackApplier: Sendable {
    let log: any EventLog
    let storage: StorageService
    let pubsub: PubSubService
    let functions: FunctionsService
    let catalog: WorkflowCatalog
    let models: any ModelInstaller
    /// Deletes workflows when given, cancelling their unfinished executions as Workflows' delete
    /// does; without it a workflow's delete is recorded alone.
    let runner: ExecutionRunner?
    /// Recorded on every event an apply or destroy appends.
    public private(set) var principal: String

    public init(
        log: any EventLog, storage: StorageService, catalog: WorkflowCatalog, models: any ModelInstaller,
        runner: ExecutionRunner? = nil, principal: String = "stack"
    ) {
        self.log = log
        self.storage = storage
        pubsub = PubSubService(log: log)
        functions = FunctionsService(log: log)
        self.catalog = catalog
        self.models = models
        self.runner = runner
        self.principal = principal
    }

    /// What the stack owns once an apply or destroy finished.
    static let appliedType = "stack.applied"
    /// What the stack owns while an apply runs, recorded before it creates anything: what it
    /// owned plus what the apply creates. A process killed mid-apply leaves the stack owning the
    /// resources it had created, so `destroy` removes them and a new plan does not adopt them as
    /// if they had been there before.
    static let applyingType = "stack.applying"

    /// The same applier, recording `principal` (a server acts for each request's token).
    public func acting(as principal: String) -> StackApplier {
        var copy = self
        copy.principal = principal
        return copy
    }

    static func stream(_ name: String) -> StreamName { StreamName(unchecked: "stack/" + name) }

    /// Refuses a stack name that could not name one stack: empty, over 255 bytes, or holding a
    /// control character or `/`. A NUL in a name sent to the API (`ml-pipeline%00`) had reached
    /// the stack before it. Names are not held to a narrower pattern, so stacks applied under any
    /// other name before stay reachable.
    public static func validate(name: String) throws(SluiceError) {
        guard (1...255).contains(name.utf8.count), name != ".", name != "..",
            !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "/" })
        else {
            throw SluiceError(
                .invalidArgument, "a stack name is 1 to 255 bytes without control characters or '/'")
        }
    }

    /// The resources stack `name` owns: those of its last apply, or, while one runs (or after one
    /// was cut short), those of the ones it owned before and the ones that apply creates that exist.
    public func owned(by name: String) async throws(SluiceError) -> [String] {
        try Self.validate(name: name)
        let stream = Self.stream(name)
        let version = try await log.streamVersion(stream)
        guard version > 0, let last = try await log.readStream(stream, from: version, limit: 1).first else { return [] }
        struct Applied: Decodable { var resources: [String] }
        let resources: [String]
        do { resources = try JSONDecoder().decode(Applied.self, from: Data(last.data.utf8)).resources } catch {
            throw SluiceError(.corruptStore, "the record of stack \(name) at \(last.position) does not decode")
        }
        guard last.type == Self.applyingType else { return resources }
        var existing: [String] = []
        for resource in resources where try await exists(resource) { existing.append(resource) }
        return existing
    }

    /// What applying `desired` would do.
    public func plan(_ desired: StackDesired) async throws(SluiceError) -> StackPlan {
        var changes: [StackPlan.Change] = []
        for topic in desired.topics {
            changes.append(.init(try await pubsub.topicExists(topic) ? .unchanged : .create, "topic/" + topic))
        }
        for bucket in desired.buckets { changes.append(try await planBucket(bucket)) }
        for workflow in desired.workflows {
            let current = try? await catalog.summary(of: workflow.name)
            let same = current?.source == workflow.source && current?.serviceAccount == workflow.serviceAccount
            let action: StackPlan.Change.Action = current == nil ? .create : same ? .unchanged : .update
            changes.append(.init(action, "workflow/" + workflow.name, action == .update ? "a new revision" : ""))
        }
        for config in desired.subscriptions {
            let current = try? await pubsub.subscription(config.name.rawValue)
            let action: StackPlan.Change.Action = current == nil ? .create : current == config ? .unchanged : .update
            changes.append(
                .init(
                    action, "subscription/" + config.name.rawValue,
                    action == .update ? "replaced: its backlog is dropped" : ""))
        }
        for config in desired.functions {
            let current = try await functions.function(config.name.rawValue)
            let action: StackPlan.Change.Action = current == nil ? .create : current == config ? .unchanged : .update
            changes.append(.init(action, "function/" + config.name.rawValue, action == .update ? "redeployed" : ""))
        }
        for model in desired.models {
            let current: [UInt8]?
            do { current = try await models.installed(model.name) } catch {
                throw SluiceError(.storageFailure, "cannot read model \(model.name): \(error)")
            }
            let action: StackPlan.Change.Action =
                current == nil ? .create : current == model.json ? .unchanged : .update
            changes.append(.init(action, "model/" + model.name, action == .update ? "a new model file" : ""))
        }
        let wanted = Set(desired.resources)
        for resource in try await owned(by: desired.name) where !wanted.contains(resource) {
            changes.append(.init(.delete, resource))
        }
        return StackPlan(changes: changes)
    }

    private func planBucket(_ bucket: StackDesired.Bucket) async throws(SluiceError) -> StackPlan.Change {
        let resource = "bucket/" + bucket.name
        guard let state = try? await storage.bucket(bucket.name) else { return .init(.create, resource) }
        var details: [String] = []
        if state.versioningEnabled != bucket.versioning {
            details.append("versioning \(bucket.versioning ? "on" : "off")")
        }
        let (add, remove) = Self.notificationDifference(
            desired: bucket.notifications, current: state.notificationConfigs)
        if !add.isEmpty { details.append("\(add.count) notification config(s) to add") }
        if !remove.isEmpty { details.append("\(remove.count) notification config(s) to remove") }
        return .init(details.isEmpty ? .unchanged : .update, resource, details.joined(separator: ", "))
    }

    /// Configs to create and ids to delete so the bucket's configs equal `desired` (ids aside).
    static func notificationDifference(desired: [NotificationConfig], current: [NotificationConfig]) -> (
        add: [NotificationConfig], remove: [Int]
    ) {
        var unmatched = current
        var add: [NotificationConfig] = []
        for config in desired {
            if let index = unmatched.firstIndex(where: { Self.sameNotification($0, config) }) {
                unmatched.remove(at: index)
            } else {
                add.append(config)
            }
        }
        return (add, unmatched.map(\.id))
    }

    static func sameNotification(_ lhs: NotificationConfig, _ rhs: NotificationConfig) -> Bool {
        var left = lhs
        left.id = rhs.id
        left.eventTypes.sort { $0.rawValue < $1.rawValue }
        var right = rhs
        right.eventTypes.sort { $0.rawValue < $1.rawValue }
        if left.objectNamePrefix == "" { left.objectNamePrefix = nil }
        if right.objectNamePrefix == "" { right.objectNamePrefix = nil }
        return left == right
    }

    /// Applies `desired` in dependency order (topics before what publishes to them or reads
    /// them), deletes in reverse, and records what the stack now owns. With `expectedDigest`, it
    /// applies only the plan the caller confirmed: a plan that has changed since is refused.
    @discardableResult
    public func apply(_ desired: StackDesired, expectedDigest: String? = nil) async throws(SluiceError) -> StackPlan {
        let plan = try await plan(desired)
        if let expectedDigest, expectedDigest != plan.digest {
            throw SluiceError(
                .failedPrecondition,
                "the plan for stack \(desired.name) changed since it was confirmed (now: \(plan.summary)); plan again")
        }
        let metadata = EventMetadata(correlationID: "stack-" + desired.name, principal: principal)
        let changing = Set(plan.changes.filter { $0.action == .create || $0.action == .update }.map(\.resource))
        let ownedBefore = try await owned(by: desired.name)
        let creating = plan.changes.filter { $0.action == .create && !ownedBefore.contains($0.resource) }
        if !creating.isEmpty {
            let intent = try Self.encode(resources: ownedBefore + creating.map(\.resource))
            _ = try await log.append(
                [NewEvent(type: Self.applyingType, data: intent, metadata: metadata)], to: Self.stream(desired.name))
        }
        for topic in desired.topics where changing.contains("topic/" + topic) {
            try await pubsub.createTopic(topic, metadata: metadata)
        }
        for bucket in desired.buckets where changing.contains("bucket/" + bucket.name) {
            try await applyBucket(bucket, metadata: metadata)
        }
        for workflow in desired.workflows where changing.contains("workflow/" + workflow.name) {
            try await catalog.deploy(
                name: workflow.name, source: workflow.source, principal: principal,
                serviceAccount: workflow.serviceAccount)
        }
        for config in desired.subscriptions where changing.contains("subscription/" + config.name.rawValue) {
            if (try? await pubsub.subscription(config.name.rawValue)) != nil {
                try await pubsub.deleteSubscription(config.name.rawValue, metadata: metadata)
            }
            try await pubsub.createSubscription(config, metadata: metadata)
        }
        for config in desired.functions where changing.contains("function/" + config.name.rawValue) {
            try await functions.deploy(config, metadata: metadata)
        }
        for model in desired.models where changing.contains("model/" + model.name) {
            do { try await models.install(model.name, json: model.json) } catch {
                throw SluiceError(.invalidArgument, "model \(model.name): \(error)")
            }
        }
        for change in plan.changes.reversed() where change.action == .delete {
            try await delete(change.resource, metadata: metadata)
        }
        let data = try Self.encode(resources: desired.resources)
        if try await owned(by: desired.name) != desired.resources || plan.hasChanges {
            _ = try await log.append(
                [NewEvent(type: Self.appliedType, data: data, metadata: metadata)], to: Self.stream(desired.name))
        }
        return plan
    }

    /// Deletes everything stack `name` owns, in reverse dependency order.
    public func destroy(_ name: String) async throws(SluiceError) -> [String] {
        let owned = try await owned(by: name)
        let metadata = EventMetadata(correlationID: "stack-" + name, principal: principal)
        let order = ["function/", "subscription/", "model/", "workflow/", "bucket/", "topic/"]
        let sorted = owned.sorted { lhs, rhs in
            (order.firstIndex { lhs.hasPrefix($0) } ?? 9) < (order.firstIndex { rhs.hasPrefix($0) } ?? 9)
        }
        for resource in sorted { try await delete(resource, metadata: metadata) }
        _ = try await log.append(
            [NewEvent(type: Self.appliedType, data: try Self.encode(resources: []), metadata: metadata)],
            to: Self.stream(name))
        return sorted
    }

    private func applyBucket(_ bucket: StackDesired.Bucket, metadata: EventMetadata) async throws(SluiceError) {
        if (try? await storage.bucket(bucket.name)) == nil {
            try await storage.createBucket(bucket.name, versioningEnabled: bucket.versioning, metadata: metadata)
        }
        let state = try await storage.bucket(bucket.name)
        if state.versioningEnabled != bucket.versioning {
            try await storage.setVersioning(bucket.versioning, bucket: bucket.name, metadata: metadata)
        }
        let (add, remove) = Self.notificationDifference(
            desired: bucket.notifications, current: state.notificationConfigs)
        for id in remove { try await storage.deleteNotification(id: id, bucket: bucket.name, metadata: metadata) }
        for config in add { _ = try await storage.createNotification(config, bucket: bucket.name, metadata: metadata) }
    }

    private func delete(_ resource: String, metadata: EventMetadata) async throws(SluiceError) {
        guard let slash = resource.firstIndex(of: "/") else { return }
        let name = String(resource[resource.index(after: slash)...])
        switch resource[..<slash] {
        case "bucket":
            if (try? await storage.bucket(name)) != nil { try await storage.deleteBucket(name, metadata: metadata) }
        case "topic": if try await pubsub.topicExists(name) { try await pubsub.deleteTopic(name, metadata: metadata) }
        case "subscription":
            if (try? await pubsub.subscription(name)) != nil {
                try await pubsub.deleteSubscription(name, metadata: metadata)
            }
        case "workflow":
            if (try? await catalog.summary(of: name)) != nil {
                if let runner {
                    _ = try await runner.deleteWorkflow(name, principal: principal)
                } else {
                    _ = try await catalog.delete(name: name, principal: principal)
                }
            }
        case "function":
            if try await functions.function(name) != nil { try await functions.delete(name, metadata: metadata) }
        case "model":
            do { try await models.remove(name) } catch {
                throw SluiceError(.storageFailure, "cannot remove model \(name): \(error)")
            }
        default: return
        }
    }

    static func encode(resources: [String]) throws(SluiceError) -> String {
        "{\"resources\":[" + resources.map { JSONText.quote($0) }.joined(separator: ",") + "]}"
    }
}
