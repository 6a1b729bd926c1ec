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
    static func decode(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8),
            let decoded = try? JSONDecoder().decode([String: String].self, from: data)
        else { return [:] }
        return decoded
    }
}
