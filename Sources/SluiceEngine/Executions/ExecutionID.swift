public import SluiceCore

/// Names an execution and its stream.
public struct ExecutionID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// Execution ids are what GCP allows in a resource id: letters, digits, `-` and `_`, 1-63 long.
    public init(_ rawValue: String) throws(SluiceError) {
        let allowed = rawValue.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F
        }
        guard !rawValue.isEmpty, rawValue.utf8.count <= 63, allowed else {
            throw SluiceError(
                .invalidArgument,
                "execution id '\(rawValue)' must be 1-63 letters, digits, '-' or '_'"
            )
        }
        self.rawValue = rawValue
    }

    /// The execution a Pub/Sub message starts: derived from the message id, so a redelivered
    /// message names the same execution and can never start a second one.
    public static func forMessage(subscription: String, messageID: String) -> ExecutionID {
        let safe = (subscription + "-" + messageID).map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
                ? character : "_"
        }
        // Not user input: the result always satisfies the rules above.
        return ExecutionID(validated: "msg-" + String(String(safe).suffix(59)))
    }

    private init(validated: String) { rawValue = validated }

    /// The stream holding this execution's history.
    public var stream: StreamName { StreamName(unchecked: "execution/" + rawValue) }

    public var description: String { rawValue }
}
