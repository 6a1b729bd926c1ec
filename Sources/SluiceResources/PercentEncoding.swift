import Foundation

/// Percent-encoding of one URL path component (object names may hold `/`).
enum PercentEncoding {
    static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
