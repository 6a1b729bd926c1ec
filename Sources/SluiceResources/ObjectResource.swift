import OrderedCollections
public import SluiceCore
import SluiceLog
public import SluiceWorkflows

/// One generation of an object, as recorded in `object.finalized` and as the JSON API shows it.
public struct ObjectResource: Sendable, Hashable {
    public var bucket: String
    public var name: String
    public var generation: Int64
    public var metageneration: Int64
    public var contentType: String
    public var size: Int
    public var md5Hash: String
    public var crc32c: String
    /// Where the bytes are in the object store.
    public var digest: String
    public var metadata: [String: String]
    /// Microseconds since the epoch.
    public var timeCreated: Int64

    public init(
        bucket: String, name: String, generation: Int64, metageneration: Int64, contentType: String, size: Int,
        md5Hash: String, crc32c: String, digest: String, metadata: [String: String], timeCreated: Int64
    ) {
        self.bucket = bucket
        self.name = name
        self.generation = generation
        self.metageneration = metageneration
        self.contentType = contentType
        self.size = size
        self.md5Hash = md5Hash
        self.crc32c = crc32c
        self.digest = digest
        self.metadata = metadata
        self.timeCreated = timeCreated
    }

    /// The object an `object.finalized` event recorded.
    public init(recorded event: RecordedEvent) throws(SluiceError) {
        try self.init(event: event)
    }

    init(event: RecordedEvent) throws(SluiceError) {
        let value = try Payload.decode(event)
        func text(_ key: String) -> String { value[key]?.stringValue ?? "" }
        func integer(_ key: String) -> Int64 {
            if case .int(let number)? = value[key] { return number }
            return Int64(value[key]?.stringValue ?? "") ?? 0
        }
        var metadata: [String: String] = [:]
        for (key, item) in value["metadata"]?.mapValue ?? [:] { metadata[key] = item.stringValue ?? "" }
        self.init(
            bucket: text("bucket"), name: text("name"), generation: integer("generation"),
            metageneration: integer("metageneration"), contentType: text("contentType"), size: Int(integer("size")),
            md5Hash: text("md5Hash"), crc32c: text("crc32c"), digest: text("digest"), metadata: metadata,
            timeCreated: integer("timeCreatedMicros"))
    }

    func eventData() throws(SluiceError) -> String {
        var meta = OrderedDictionary<String, WorkflowValue>()
        for key in metadata.keys.sorted() { meta[key] = .string(metadata[key]!) }
        return try Payload.encode([
            "bucket": .string(bucket), "name": .string(name), "generation": .int(generation),
            "metageneration": .int(metageneration), "contentType": .string(contentType), "size": .int(Int64(size)),
            "md5Hash": .string(md5Hash), "crc32c": .string(crc32c), "digest": .string(digest), "metadata": .map(meta),
            "timeCreatedMicros": .int(timeCreated),
        ])
    }

    /// The JSON API v1 object resource (numbers as strings, as Google sends them).
    public func jsonAPIResource(baseURL: String = "http://127.0.0.1:8080") -> WorkflowValue {
        let time = Timestamps.rfc3339(timeCreated, fractionDigits: 3)
        var fields: OrderedDictionary<String, WorkflowValue> = [
            "kind": "storage#object",
            "id": .string("\(bucket)/\(name)/\(generation)"),
            "selfLink": .string("\(baseURL)/storage/v1/b/\(bucket)/o/\(PercentEncoding.component(name))"),
            "mediaLink": .string(
                "\(baseURL)/download/storage/v1/b/\(bucket)/o/\(PercentEncoding.component(name))?generation=\(generation)&alt=media"
            ),
            "name": .string(name),
            "bucket": .string(bucket),
            "generation": .string(String(generation)),
            "metageneration": .string(String(metageneration)),
            "contentType": .string(contentType),
            "storageClass": "STANDARD",
            "size": .string(String(size)),
            "md5Hash": .string(md5Hash),
            "crc32c": .string(crc32c),
            "etag": .string("C\(generation % 1_000_000)="),
            "timeCreated": .string(time),
            "updated": .string(time),
            "timeStorageClassUpdated": .string(time),
        ]
        if !metadata.isEmpty {
            var meta = OrderedDictionary<String, WorkflowValue>()
            for key in metadata.keys.sorted() { meta[key] = .string(metadata[key]!) }
            fields["metadata"] = .map(meta)
        }
        return .map(fields)
    }
}
