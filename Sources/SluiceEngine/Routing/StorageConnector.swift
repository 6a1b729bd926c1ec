import Foundation
import OrderedCollections
import SluiceCore
public import SluiceResources
import SluiceWorkflows

/// The Cloud Storage connector (`googleapis.storage.v1.objects.*`) on Sluice buckets, with the
/// connector's conventions: object names arrive URL-encoded (`text.url_encode`), `alt: "media"`
/// returns the content (JSON content parsed, other text as a string), and an insert's `body` is
/// stored as text, or as JSON when it is not a string.
public struct StorageConnector: Sendable {
    static let methods: Set<String> = ["get", "insert", "list", "delete"]

    private let storage: StorageService

    public init(storage: StorageService) {
        self.storage = storage
    }

    /// `correlationID` is the execution's journey, which what the call changes joins.
    func perform(_ method: String, _ arguments: WorkflowValue, idempotencyKey: String, correlationID: String? = nil)
        async -> Result<WorkflowValue, GoogleAPIError>
    {
        let metadata = EventMetadata(correlationID: correlationID, principal: "workflow")
        do throws(SluiceError) {
            switch method {
            case "get": return .success(try await get(arguments))
            case "insert":
                return .success(try await insert(arguments, idempotencyKey: idempotencyKey, metadata: metadata))
            case "list": return .success(try await list(arguments))
            default:
                try await storage.deleteObject(
                    bucket: try Self.text(arguments, "bucket"), object: try Self.name(arguments, "object"),
                    generation: arguments["generation"].flatMap(Self.int64), metadata: metadata)
                return .success(.null)
            }
        } catch {
            return .failure(GoogleAPIError(error))
        }
    }

    private func get(_ arguments: WorkflowValue) async throws(SluiceError) -> WorkflowValue {
        let object = try await storage.object(
            bucket: try Self.text(arguments, "bucket"), object: try Self.name(arguments, "object"),
            generation: arguments["generation"].flatMap(Self.int64))
        guard arguments["alt"]?.stringValue == "media" else { return try Self.resource(object) }
        let bytes = try await storage.content(of: object)
        if object.contentType.hasPrefix("application/json"),
            let value = try? JSONReader.parse(String(decoding: bytes, as: UTF8.self))
        {
            return value
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .bytes(bytes) }
        return .string(text)
    }

    private func insert(_ arguments: WorkflowValue, idempotencyKey: String, metadata: EventMetadata)
        async throws(SluiceError) -> WorkflowValue
    {
        let (bytes, contentType) = try Self.body(arguments)
        let object = try await storage.upload(
            bucket: try Self.text(arguments, "bucket"), object: try Self.name(arguments, "name"), bytes: bytes,
            contentType: contentType, idempotencyKey: "workflow/" + idempotencyKey, metadata: metadata)
        return try Self.resource(object)
    }

    /// An insert decided and its bytes stored, for the runner to append with the execution's
    /// progress; nil when it cannot be decided (performing the insert then reports why).
    func planInsert(_ arguments: WorkflowValue, correlationID: String?) async -> PlannedEffect? {
        do throws(SluiceError) {
            let (bytes, contentType) = try Self.body(arguments)
            let planned = try await storage.planUpload(
                bucket: try Self.text(arguments, "bucket"), object: try Self.name(arguments, "name"), bytes: bytes,
                contentType: contentType, metadata: EventMetadata(correlationID: correlationID, principal: "workflow"))
            let storage = self.storage
            return PlannedEffect(
                result: try Self.resource(planned.object), parts: planned.parts, admission: planned.admission,
                forget: { storage.forgetPlanned(planned) })
        } catch {
            return nil
        }
    }

    /// An insert's bytes and content type: a string body as text, bytes as they are, anything
    /// else as JSON; `contentType` overrides the type.
    private static func body(_ arguments: WorkflowValue) throws(SluiceError) -> (bytes: [UInt8], contentType: String) {
        let body = arguments["body"] ?? .null
        var contentType = "application/json"
        let bytes: [UInt8]
        switch body {
        case .string(let text):
            bytes = Array(text.utf8)
            contentType = "text/plain; charset=utf-8"
        case .bytes(let raw):
            bytes = raw
            contentType = "application/octet-stream"
        default:
            do { bytes = Array(try body.jsonString().utf8) } catch {
                throw SluiceError(.invalidArgument, "the object body cannot be written as JSON")
            }
        }
        return (bytes, arguments["contentType"]?.stringValue ?? contentType)
    }

    private func list(_ arguments: WorkflowValue) async throws(SluiceError) -> WorkflowValue {
        let page = try await storage.listObjects(
            try Self.text(arguments, "bucket"),
            ObjectListing(
                prefix: arguments["prefix"]?.stringValue ?? "", delimiter: arguments["delimiter"]?.stringValue,
                maxResults: arguments["maxResults"].flatMap(Self.int64).map { Int($0) } ?? 1_000,
                pageToken: arguments["pageToken"]?.stringValue))
        var result: OrderedDictionary<String, WorkflowValue> = [
            "kind": "storage#objects", "items": .list(try page.objects.map(Self.resource)),
        ]
        if !page.prefixes.isEmpty { result["prefixes"] = .list(page.prefixes.map(WorkflowValue.string)) }
        if let token = page.nextPageToken { result["nextPageToken"] = .string(token) }
        return .map(result)
    }

    /// The JSON API object resource as a workflow value, exactly as the connector returns it.
    static func resource(_ object: ObjectVersion) throws(SluiceError) -> WorkflowValue {
        var fields = OrderedDictionary<String, WorkflowValue>()
        for (key, value) in ObjectResource(object).sortedMembers {
            switch value {
            case .text(let text):
                fields[key] = .string(text)
            case .map(let entries):
                fields[key] = .map(OrderedDictionary(uniqueKeysWithValues: entries.map { ($0.key, .string($0.value)) }))
            }
        }
        return .map(fields)
    }

    static func text(_ arguments: WorkflowValue, _ key: String) throws(SluiceError) -> String {
        guard let value = arguments[key]?.stringValue, !value.isEmpty else {
            throw SluiceError(.invalidArgument, "the storage call needs the argument \(key)")
        }
        return value
    }

    /// Object names in connector calls are URL-encoded, as Google's docs tell workflows to do.
    static func name(_ arguments: WorkflowValue, _ key: String) throws(SluiceError) -> String {
        let encoded = try text(arguments, key)
        guard let decoded = PercentDecoding.decode(encoded) else {
            throw SluiceError(.invalidArgument, "\(key) is not valid percent-encoding")
        }
        return decoded
    }

    static func int64(_ value: WorkflowValue) -> Int64? {
        switch value {
        case .int(let number): number
        case .string(let text): Int64(text)
        default: nil
        }
    }
}
