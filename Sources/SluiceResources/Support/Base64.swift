internal import Foundation

/// Standard base64 with padding, as Cloud Storage prints hashes and Pub/Sub prints data.
public enum Base64 {
    /// Encodes bytes.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes text; `nil` when it is not base64.
    public static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { Array($0) }
    }
}
