import Foundation
import OrderedCollections
public import SluiceAdapters
public import SluiceCore
public import SluiceLog
import SluiceWorkflows

/// Buckets, their objects and notification configs, event-sourced in the log; bytes go to the
/// object store before the event that makes them visible.
public struct Buckets: Sendable {
    private let log: any EventLog
    private let objects: any ObjectStore
    private let now: @Sendable () -> Int64

    public init(
        log: any EventLog, objects: any ObjectStore,
        now: @escaping @Sendable () -> Int64 = WallClock.microsecondsSinceEpoch
    ) {
        self.log = log
        self.objects = objects
        self.now = now
    }

    public static func stream(bucket: String) -> StreamName { StreamName(unchecked: "bucket/" + bucket) }
    public static func stream(bucket: String, object: String) -> StreamName {
        StreamName(unchecked: "object/\(bucket)/\(object)")
    }

    /// Creates a bucket; its name follows GCS's rules.
    public func create(_ name: String, principal: String? = nil) async throws(SluiceError) {
        try ResourceNames.validateBucket(name)
        let data = try Payload.encode(["name": .string(name)])
        do {
            _ = try await log.append(
                [
                    NewEvent(
                        type: ResourceEventType.bucketCreated, data: data, metadata: EventMetadata(principal: principal)
                    )
                ],
                to: Self.stream(bucket: name), expectedVersion: .noStream)
        } catch  where error.code == .wrongExpectedVersion {
            throw SluiceError(.alreadyExists, "bucket \(name) exists already")
        }
    }

    /// Adds a notification config: messages about objects matching `prefix` go to `topic`.
    public func addNotification(
        bucket: String, topic: String, eventTypes: [String] = [], prefix: String? = nil,
        payloadFormat: String = "JSON_API_V1", customAttributes: [String: String] = [:]
    ) async throws(SluiceError) -> Int64 {
        let version = try await log.streamVersion(Self.stream(bucket: bucket))
        guard version > 0 else { throw SluiceError(.notFound, "bucket \(bucket) does not exist") }
        guard payloadFormat == "JSON_API_V1" || payloadFormat == "NONE" else {
            throw SluiceError(.invalidArgument, "payload_format must be JSON_API_V1 or NONE")
        }
        let id = version
        var attributes = OrderedDictionary<String, WorkflowValue>()
        for key in customAttributes.keys.sorted() { attributes[key] = .string(customAttributes[key]!) }
        var fields: OrderedDictionary<String, WorkflowValue> = [
            "id": .int(id), "topic": .string(topic), "eventTypes": .list(eventTypes.map(WorkflowValue.string)),
            "payloadFormat": .string(payloadFormat), "customAttributes": .map(attributes),
        ]
        if let prefix { fields["objectNamePrefix"] = .string(prefix) }
        _ = try await log.append(
            [NewEvent(type: ResourceEventType.notificationCreated, data: try Payload.encode(fields))],
            to: Self.stream(bucket: bucket), expectedVersion: .exact(version))
        return id
    }

    /// Stores the bytes, then records the object's new generation; returns the object resource.
    /// The upload's correlation id follows the object through notification, message and execution.
    public func upload(
        bucket: String, name: String, bytes: [UInt8], contentType: String = "application/octet-stream",
        metadata: [String: String] = [:], correlationID: String? = nil, principal: String? = nil
    ) async throws(SluiceError) -> ObjectResource {
        try ResourceNames.validateObject(name)
        guard try await log.streamVersion(Self.stream(bucket: bucket)) > 0 else {
            throw SluiceError(.notFound, "bucket \(bucket) does not exist")
        }
        let stored = try await objects.store(bytes)
        let stream = Self.stream(bucket: bucket, object: name)
        let version = try await log.streamVersion(stream)
        let previous = try await log.readStream(stream, from: max(1, version), limit: 1).last
        let previousGeneration = previous.flatMap { try? ObjectResource(event: $0).generation } ?? 0
        let resource = ObjectResource(
            bucket: bucket, name: name, generation: max(now(), previousGeneration + 1), metageneration: 1,
            contentType: contentType, size: stored.size, md5Hash: stored.md5Base64, crc32c: stored.crc32cBase64,
            digest: stored.digest, metadata: metadata, timeCreated: now())
        let correlation = correlationID ?? "upload-\(bucket)-\(resource.generation)"
        _ = try await log.append(
            [
                NewEvent(
                    type: ResourceEventType.objectFinalized, data: try resource.eventData(),
                    metadata: EventMetadata(correlationID: correlation, principal: principal))
            ],
            to: stream, expectedVersion: .exact(version))
        return resource
    }

    /// The bucket's notification configs with the log position that created each.
    public func notificationsWithPositions(of bucket: String) async throws(SluiceError) -> [(
        config: NotificationConfig, createdAt: Int64
    )] {
        try await log.readStream(Self.stream(bucket: bucket), from: 1, limit: 10_000)
            .filter { $0.type == ResourceEventType.notificationCreated }
            .map { event throws(SluiceError) in (try NotificationConfig(event: event), event.position) }
    }

    /// The bucket's notification configs, in creation order.
    public func notifications(of bucket: String) async throws(SluiceError) -> [NotificationConfig] {
        try await log.readStream(Self.stream(bucket: bucket), from: 1, limit: 10_000)
            .filter { $0.type == ResourceEventType.notificationCreated }
            .map { event throws(SluiceError) in try NotificationConfig(event: event) }
    }
}

/// Event data as plain JSON built from workflow values.
enum Payload {
    static func encode(_ fields: OrderedDictionary<String, WorkflowValue>) throws(SluiceError) -> String {
        do { return try WorkflowValue.map(fields).jsonString() } catch {
            throw SluiceError(.internalFailure, "an event payload is not JSON-encodable")
        }
    }

    static func decode(_ event: RecordedEvent) throws(SluiceError) -> WorkflowValue {
        do { return try JSONReader.parse(event.data) } catch {
            throw SluiceError(.corruptStore, "event \(event.position) (\(event.type)) has data that is not JSON")
        }
    }
}
