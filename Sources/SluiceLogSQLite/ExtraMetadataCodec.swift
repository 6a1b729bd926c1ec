import Foundation

/// Stores free metadata keys as a JSON object with sorted keys, so the text (and so the hash)
/// is the same for the same keys, and SQLite's JSON functions can query it.
enum ExtraMetadataCodec {
    /// The JSON text, or nil for no keys.
    static func encode(_ extra: [String: String]) -> String? {
        guard !extra.isEmpty else { return nil }
        var out = "{"
        for (index, key) in extra.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendQuoted(key, to: &out)
            out += ":"
            appendQuoted(extra[key]!, to: &out)
        }
        return out + "}"
    }

    /// The keys back from stored JSON text.
    static func decode(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8),
            let decoded = try? JSONDecoder().decode([String: String].self, from: data)
        else { return [:] }
        return decoded
    }

    private static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
