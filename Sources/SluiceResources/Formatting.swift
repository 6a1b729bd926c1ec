import Foundation

/// RFC 3339 in UTC with millisecond precision, as GCS prints times.
enum RFC3339Micros {
    static func string(_ micros: Int64) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(micros / 1_000_000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", p.year ?? 1970, p.month ?? 1, p.day ?? 1, p.hour ?? 0,
            p.minute ?? 0, p.second ?? 0, Int((micros % 1_000_000) / 1_000))
    }
}

/// Percent-encoding of one URL path component (object names may hold `/`).
enum PercentEncoding {
    static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
