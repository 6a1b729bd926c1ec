public import SluiceCore

/// The Cloud Storage JSON API object resource (`storage#object`), as `objects.get` returns it
/// and as a `JSON_API_V1` notification carries it.
///
/// Numbers that the API prints as strings (`generation`, `metageneration`, `size`) are strings
/// here too.
public struct ObjectResource: Sendable, Hashable, Codable {
    /// Always `storage#object`.
    public var kind: String
    /// `BUCKET/NAME/GENERATION`.
    public var id: String
    /// The object's JSON API URL.
    public var selfLink: String
    /// The URL that downloads this generation's bytes.
    public var mediaLink: String
    /// The object's name.
    public var name: String
    /// The bucket's name.
    public var bucket: String
    /// The generation, as a decimal string.
    public var generation: String
    /// The metageneration, as a decimal string.
    public var metageneration: String
    /// The MIME type.
    public var contentType: String
    /// RFC 3339 creation time.
    public var timeCreated: String
    /// RFC 3339 time of the last metadata change.
    public var updated: String
    /// RFC 3339 time the generation became noncurrent or was deleted.
    public var timeDeleted: String?
    /// The storage class.
    public var storageClass: String
    /// RFC 3339 time the storage class was set.
    public var timeStorageClassUpdated: String
    /// The size in bytes, as a decimal string.
    public var size: String
    /// Base64 MD5.
    public var md5Hash: String
    /// Base64 big-endian CRC32C.
    public var crc32c: String
    /// The entity tag.
    public var etag: String
    /// Custom metadata; absent when empty.
    public var metadata: ExactStringMap.WireForm?

    /// Builds the resource for one object version, with links under `links`.
    public init(_ object: ObjectVersion, links: ObjectLinks = .google) {
        let bucket = object.bucket.rawValue
        let encodedName = Self.percentEncode(object.name.rawValue)
        kind = "storage#object"
        id = "\(bucket)/\(object.name.rawValue)/\(object.generation)"
        selfLink = "\(links.apiBase)/storage/v1/b/\(bucket)/o/\(encodedName)"
        mediaLink =
            "\(links.downloadBase)/download/storage/v1/b/\(bucket)/o/\(encodedName)?generation=\(object.generation)&alt=media"
        name = object.name.rawValue
        self.bucket = bucket
        generation = String(object.generation)
        metageneration = String(object.metageneration)
        contentType = object.contentType
        timeCreated = object.timeCreated.rfc3339Milliseconds
        updated = object.updated.rfc3339Milliseconds
        timeDeleted = object.timeDeleted?.rfc3339Milliseconds
        storageClass = object.storageClass
        timeStorageClassUpdated = object.timeCreated.rfc3339Milliseconds
        size = String(object.size)
        md5Hash = object.md5Hash
        crc32c = object.crc32c
        etag = Self.etag(generation: object.generation, metageneration: object.metageneration)
        metadata = object.metadata.isEmpty ? nil : ExactStringMap.WireForm(object.metadata)
    }

    /// The JSON API's object etag: base64 of the protobuf varints (field 1 generation, field 2
    /// metageneration), which is what `CJ…EAE=` etags from Cloud Storage decode to.
    public static func etag(generation: Int64, metageneration: Int64) -> String {
        var bytes: [UInt8] = [0x08]
        appendVarint(UInt64(bitPattern: generation), to: &bytes)
        bytes.append(0x10)
        appendVarint(UInt64(bitPattern: metageneration), to: &bytes)
        return Base64.encode(bytes)
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters, so `/` becomes `%2F` as
    /// the JSON API requires in object paths.
    public static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            let unreserved =
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if unreserved {
                out.append(byte)
            } else {
                out.append(contentsOf: [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Where an object resource's `selfLink` and `mediaLink` point.
///
/// Clients download from `mediaLink` exactly as given, so a server builds these from its own
/// reachable address (``serving(_:)``), never from Google's hosts.
public struct ObjectLinks: Sendable, Hashable {
    /// The base of `selfLink`, such as `https://www.googleapis.com`.
    public var apiBase: String
    /// The base of `mediaLink`, such as `https://storage.googleapis.com`.
    public var downloadBase: String

    /// Links with explicit bases (no trailing slash).
    public init(apiBase: String, downloadBase: String) {
        self.apiBase = apiBase
        self.downloadBase = downloadBase
    }

    /// The links Cloud Storage itself prints.
    public static let google = ObjectLinks(
        apiBase: "https://www.googleapis.com",
        downloadBase: "https://storage.googleapis.com"
    )

    /// Both links under one server address, such as `http://127.0.0.1:8080`.
    public static func serving(_ base: String) -> ObjectLinks {
        ObjectLinks(apiBase: base, downloadBase: base)
    }
}
