import Foundation
import SluiceCore

/// Stores free metadata keys as a JSON object with sorted keys, so the text (and so the hash)
/// is the same for the same keys, and SQLite's JSON functions can query it.
enum ExtraMetadataCodec {
    /// The JSON text, or nil for no keys.
    static func encode(_ extra: [String: String]) -> String? {
        guard !extra.isEmpty else { return nil }
        var out = "{"
        for (index, key) in extra.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            JSONText.appendQuoted(key, to: &out)
            out += ":"
            JSONText.appendQuoted(extra[key]!, to: &out)
        }
        return out + "}"
    }

    /// The keys back from stored JSON text.
    ///
    /// Every read of an event with free keys comes here, so text as ``encode(_:)`` writes it
    /// without escapes (the common case: `{"notifications":"inline"}`) is split directly;
    /// anything else goes through `JSONDecoder`.
    static func decode(_ text: String?) -> [String: String] {
        guard let text else { return [:] }
        if let plain = decodeUnescaped(text) { return plain }
        guard let decoded = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return [:] }
        return decoded
    }

    /// `{"k":"v",...}` with no backslash anywhere, or nil for any other shape.
    static func decodeUnescaped(_ text: String) -> [String: String]? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"),
            !bytes.contains(UInt8(ascii: "\\"))
        else { return nil }
        var result: [String: String] = [:]
        var index = 1
        /// The string literal starting at `index`, which must be a quote; moves past it.
        func literal() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            guard let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            let value = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            index = end + 1
            return value
        }
        if bytes.count == 2 { return result }
        while true {
            guard let key = literal(), index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let value = literal(), index < bytes.count else { return nil }
            result[key] = value
            if bytes[index] == UInt8(ascii: "}") { return index == bytes.count - 1 ? result : nil }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }
}
