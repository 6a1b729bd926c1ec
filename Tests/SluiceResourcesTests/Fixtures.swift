import SluiceCore
import SluiceResources

enum Fixtures {
    static let bucket = try! BucketName("uploads")
    static let name = try! ObjectName("incoming/cat.png")
    static let digest = try! ContentDigest(hex: String(repeating: "ab", count: 32))

    static func upload(size: Int64 = 5, contentType: String = "image/png") -> ObjectUpload {
        ObjectUpload(
            contentType: contentType,
            metadata: ["owner": "ana"],
            size: size,
            md5Hash: "XUFAKrxLKna5cZ2REBfFkg==",
            crc32c: "mnG7TA==",
            digest: digest
        )
    }

    static func decider(versioned: Bool = false) -> ObjectDecider {
        ObjectDecider(bucket: bucket, name: name, versioningEnabled: versioned)
    }

    static func time(_ seconds: Int64) -> Timestamp { Timestamp(seconds: 1_700_000_000 + seconds) }

    static func topic(_ name: String = "uploads-topic") -> TopicName { try! TopicName(name) }
}
