public import SluiceCore

/// The stream each resource's events live in.
///
/// `bucket/NAME` holds the bucket and its notification configs; `object/BUCKET/NAME` every
/// generation of one object name; `topic/NAME` the topic and its published messages;
/// `subscription/NAME` the subscription. Names are validated before they reach a stream, so
/// the separators cannot be forged (bucket, topic and subscription names contain no `/`).
public enum ResourceStreams {
    /// `bucket/NAME`.
    public static func bucket(_ name: BucketName) -> StreamName {
        StreamName(unchecked: "bucket/\(name.rawValue)")
    }

    /// `object/BUCKET/NAME`; the object name is the rest of the stream name, slashes included.
    ///
    /// Control characters (which object names may hold but stream names may not) and `%` are
    /// percent-encoded, so the mapping stays one-to-one. Every valid object name in every valid
    /// bucket fits in a stream name (see ``StreamName/maximumLength``).
    public static func object(_ bucket: BucketName, _ name: ObjectName) throws(SluiceError) -> StreamName {
        try StreamName(objectPrefix(bucket, name.rawValue))
    }

    /// The stream-name prefix shared by every object of `bucket` whose name starts with `prefix`.
    public static func objectPrefix(_ bucket: BucketName, _ prefix: String) -> String {
        var encoded = ""
        for scalar in prefix.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "%" {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                encoded.unicodeScalars.append(scalar)
            }
        }
        return "object/\(bucket.rawValue)/\(encoded)"
    }

    /// The object name a stream of `objectPrefix(bucket, "")`'s family holds: the rest of the
    /// stream name with the percent-encoding undone. Nil for a stream that is no object's.
    public static func objectName(ofStream stream: StreamName, in bucket: BucketName) -> ObjectName? {
        let encoded = stream.rawValue.utf8.dropFirst(objectPrefix(bucket, "").utf8.count)
        guard stream.rawValue.utf8.starts(with: objectPrefix(bucket, "").utf8) else { return nil }
        var bytes: [UInt8] = []
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            let next = encoded.index(after: index)
            if byte == UInt8(ascii: "%"), next != encoded.endIndex, encoded.index(after: next) != encoded.endIndex,
                let value = UInt8(
                    String(decoding: encoded[next...encoded.index(after: next)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = encoded.index(next, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = next
            }
        }
        return try? ObjectName(String(decoding: bytes, as: UTF8.self))
    }

    /// `topic/NAME`.
    public static func topic(_ name: TopicName) -> StreamName {
        StreamName(unchecked: "topic/\(name.rawValue)")
    }

    /// `subscription/NAME`.
    public static func subscription(_ name: SubscriptionName) -> StreamName {
        StreamName(unchecked: "subscription/\(name.rawValue)")
    }
}
