import Foundation
import SluiceCore

extension ObjectVersion {
    /// Appends the version as its `Codable` conformance encodes through `SortedJSONEncoder` (the
    /// tests hold the two to the same bytes), without the generic encoder: every upload and every
    /// workflow insert encodes one in its `object.finalized`, and the generic path cost about 3%
    /// of the pipeline benchmark's CPU.
    func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        Self.member("bucket", first: true, &out)
        JSONText.appendQuoted(bucket.rawValue, to: &out)
        Self.member("contentType", &out)
        JSONText.appendQuoted(contentType, to: &out)
        Self.member("crc32c", &out)
        JSONText.appendQuoted(crc32c, to: &out)
        Self.member("digest", &out)
        JSONText.appendQuoted(digest.hex, to: &out)
        Self.member("generation", &out)
        out.append(contentsOf: String(generation).utf8)
        if let inlineContent {
            Self.member("inlineContent", &out)
            JSONText.appendQuoted(Data(inlineContent.bytes).base64EncodedString(), to: &out)
        }
        Self.member("md5Hash", &out)
        JSONText.appendQuoted(md5Hash, to: &out)
        Self.member("metadata", &out)
        metadata.appendStoredJSON(to: &out)
        Self.member("metageneration", &out)
        out.append(contentsOf: String(metageneration).utf8)
        Self.member("name", &out)
        JSONText.appendQuoted(name.rawValue, to: &out)
        Self.member("size", &out)
        out.append(contentsOf: String(size).utf8)
        Self.member("storageClass", &out)
        JSONText.appendQuoted(storageClass, to: &out)
        Self.member("timeCreated", &out)
        out.append(contentsOf: String(timeCreated.microseconds).utf8)
        if let timeDeleted {
            Self.member("timeDeleted", &out)
            out.append(contentsOf: String(timeDeleted.microseconds).utf8)
        }
        Self.member("updated", &out)
        out.append(contentsOf: String(updated.microseconds).utf8)
        out.append(UInt8(ascii: "}"))
    }

    /// Writes `"key":`, after a comma unless it is the first member.
    static func member(_ key: StaticString, first: Bool = false, _ out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: "\":".utf8)
    }
}

extension ObjectFinalized {
    /// The payload's JSON, as ``ObjectVersion/appendJSON(to:)`` explains.
    func json() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1_024)
        out.append(contentsOf: "{\"object\":".utf8)
        object.appendJSON(to: &out)
        if let overwroteGeneration {
            ObjectVersion.member("overwroteGeneration", &out)
            out.append(contentsOf: String(overwroteGeneration).utf8)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads what ``json()`` writes, without the generic decoder; nil for any other shape (see
    /// ``StoredJSONObject``).
    static func decodeStored(_ text: String) -> ObjectFinalized? {
        do throws(StoredJSONObject.Mismatch) {
            var payload = try StoredJSONObject(parsing: text)
            var object = try StoredJSONObject(member: try payload.value("object"))
            let finalized = ObjectFinalized(
                object: try ObjectVersion(stored: &object),
                overwroteGeneration: try payload.optionalInteger("overwroteGeneration"))
            try payload.finish()
            return finalized
        } catch {
            return nil
        }
    }
}

extension ObjectVersion {
    /// Reads the members ``appendJSON(to:)`` writes.
    init(stored object: inout StoredJSONObject) throws(StoredJSONObject.Mismatch) {
        let bucketText = try object.string("bucket")
        let nameText = try object.string("name")
        let digestText = try object.string("digest")
        do throws(SluiceError) {
            bucket = try BucketName(bucketText)
            name = try ObjectName(nameText)
            digest = try ContentDigest(hex: digestText)
        } catch {
            throw StoredJSONObject.Mismatch()
        }
        generation = try object.integer("generation")
        metageneration = try object.integer("metageneration")
        contentType = try object.string("contentType")
        guard let metadata = try object.optionalStringMap("metadata") else { throw StoredJSONObject.Mismatch() }
        self.metadata = metadata
        size = try object.integer("size")
        md5Hash = try object.string("md5Hash")
        crc32c = try object.string("crc32c")
        storageClass = try object.string("storageClass")
        timeCreated = Timestamp(microseconds: try object.integer("timeCreated"))
        updated = Timestamp(microseconds: try object.integer("updated"))
        timeDeleted = try object.optionalInteger("timeDeleted").map(Timestamp.init(microseconds:))
        if let base64 = try object.optionalString("inlineContent") {
            guard let bytes = Base64.decode(base64) else { throw StoredJSONObject.Mismatch() }
            inlineContent = InlineBytes(bytes)
        } else {
            inlineContent = nil
        }
        try object.finish()
    }
}
