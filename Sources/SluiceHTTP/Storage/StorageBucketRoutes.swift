import Hummingbird
import SluiceCore
public import SluiceResources

/// Cloud Storage JSON API v1: buckets and their notification configs.
public struct StorageBucketRoutes: Sendable {
    let storage: StorageService

    public init(storage: StorageService) {
        self.storage = storage
    }

    struct BucketInsert: Decodable {
        var name: String
        var storageClass: String?
        var versioning: Versioning?
        struct Versioning: Decodable { var enabled: Bool? }
    }

    /// A notification config to create. `custom_attributes` is read again byte-exactly
    /// (``StorageHTTP/exactStringMap(_:of:)``); decoding it here checks its shape.
    struct NotificationInsert: Decodable {
        var topic: String
        var payload_format: String?
        var event_types: [String]?
        var custom_attributes: [String: String]?
        var object_name_prefix: String?
    }

    func add(to routes: RoleRoutes) {
        routes(.editor).post("/storage/v1/b") { request, context in
            let insert = try await StorageHTTP.body(BucketInsert.self, request)
            do {
                let state = try await storage.createBucket(
                    insert.name, versioningEnabled: insert.versioning?.enabled ?? false,
                    metadata: EventMetadata(principal: context.principal))
                return try StorageHTTP.json(BucketResource(state, links: StorageHTTP.links(request)))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.viewer).get("/storage/v1/b") { request, context in
            do {
                let links = StorageHTTP.links(request)
                let items = try await storage.listBuckets().map { BucketResource($0, links: links) }
                return try StorageHTTP.json(ResourceList(kind: "storage#buckets", items: items))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.viewer).get("/storage/v1/b/:bucket") { request, context in
            do {
                let state = try await storage.bucket(try StorageHTTP.bucket(context))
                return try StorageHTTP.json(BucketResource(state, links: StorageHTTP.links(request)))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.editor).delete("/storage/v1/b/:bucket") { request, context in
            do {
                try await storage.deleteBucket(
                    try StorageHTTP.bucket(context), metadata: EventMetadata(principal: context.principal))
                return StorageHTTP.empty()
            } catch let error as SluiceError where error.code == .failedPrecondition {
                // Cloud Storage answers 409 for a bucket that still holds objects.
                throw GoogleErrorResponse(
                    status: .conflict, googleStatus: "FAILED_PRECONDITION", message: error.message)
            } catch { throw StorageHTTP.error(error) }
        }
        addNotifications(to: routes)
    }

    private func addNotifications(to routes: RoleRoutes) {
        let base = "/storage/v1/b/:bucket/notificationConfigs"
        routes(.editor).post(RouterPath(base)) { request, context in
            let bytes = try await StorageHTTP.bodyBytes(request)
            let insert = try StorageHTTP.decode(NotificationInsert.self, bytes)
            let customAttributes = try StorageHTTP.exactStringMap("custom_attributes", of: bytes) ?? [:]
            let bucket = try StorageHTTP.bucket(context)
            do {
                let types = try (insert.event_types ?? []).map { text throws(SluiceError) in
                    guard let type = NotificationEventType(rawValue: text) else {
                        throw SluiceError(.invalidArgument, "unknown event type \(text)")
                    }
                    return type
                }
                let format = NotificationPayloadFormat(rawValue: insert.payload_format ?? "JSON_API_V1")
                guard let format else {
                    throw SluiceError(.invalidArgument, "payload_format must be JSON_API_V1 or NONE")
                }
                let draft = NotificationConfig(
                    id: 0, topic: try TopicName(resource: insert.topic), eventTypes: types,
                    customAttributes: customAttributes, payloadFormat: format,
                    objectNamePrefix: insert.object_name_prefix)
                let config = try await storage.createNotification(
                    draft, bucket: bucket, metadata: EventMetadata(principal: context.principal))
                return try StorageHTTP.json(
                    NotificationResource(config, bucket: bucket, links: StorageHTTP.links(request)))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.viewer).get(RouterPath(base)) { request, context in
            let bucket = try StorageHTTP.bucket(context)
            do {
                let links = StorageHTTP.links(request)
                let items = try await storage.bucket(bucket).notificationConfigs.map {
                    NotificationResource($0, bucket: bucket, links: links)
                }
                return try StorageHTTP.json(ResourceList(kind: "storage#notifications", items: items))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.viewer).get(RouterPath(base + "/:id")) { request, context in
            let bucket = try StorageHTTP.bucket(context)
            do {
                let id = try Self.notificationID(context)
                guard let config = try await storage.bucket(bucket).notifications[id] else {
                    throw SluiceError(.notFound, "bucket \(bucket) has no notification config \(id)")
                }
                return try StorageHTTP.json(
                    NotificationResource(config, bucket: bucket, links: StorageHTTP.links(request)))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.editor).delete(RouterPath(base + "/:id")) { request, context in
            do {
                try await storage.deleteNotification(
                    id: try Self.notificationID(context), bucket: try StorageHTTP.bucket(context),
                    metadata: EventMetadata(principal: context.principal))
                return StorageHTTP.empty()
            } catch { throw StorageHTTP.error(error) }
        }
    }

    static func notificationID(_ context: some RequestContext) throws(SluiceError) -> Int {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int(text) else { throw SluiceError(.notFound, "no notification config \(text)") }
        return id
    }
}
