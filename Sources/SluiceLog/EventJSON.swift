import Foundation
public import SluiceCore

/// How Sluice prints one event as a JSON line (CLI and API alike); `data` is embedded as the JSON it is.
package enum EventJSON {
    package static func line(_ event: RecordedEvent) -> String {
        var metadata: [String] = []
        if let correlation = event.metadata.correlationID { metadata.append("\"correlationId\":\(quote(correlation))") }
        if let causation = event.metadata.causationID { metadata.append("\"causationId\":\(quote(causation))") }
        if let principal = event.metadata.principal { metadata.append("\"principal\":\(quote(principal))") }
        for key in event.metadata.extra.keys.sorted() {
            metadata.append("\(quote(key)):\(quote(event.metadata.extra[key]!))")
        }
        return
            "{\"position\":\(event.position),\"stream\":\(quote(event.stream.rawValue)),\"version\":\(event.version),"
            + "\"type\":\(quote(event.type)),\"time\":\(quote(Timestamps.iso8601(event.timestamp))),"
            + "\"id\":\"\(event.id)\",\"metadata\":{\(metadata.joined(separator: ","))},\"data\":\(event.data)}"
    }

    /// A JSON string literal for `text`.
    package static func quote(_ text: String) -> String { JSONText.quote(text) }
}

/// Converts between the log's microsecond timestamps and what people type and read.
package enum Timestamps {
    /// RFC 3339 with microseconds, in UTC.
    package static func iso8601(_ micros: Int64) -> String {
        let seconds = micros / 1_000_000
        let fraction = micros % 1_000_000
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let base = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return base + "." + String(format: "%06d", fraction) + "Z"
    }

    /// Parses RFC 3339 (`2026-11-24T10:00:00Z`, optional fraction and offset) or Unix seconds.
    package static func parse(_ text: String) -> Int64? {
        if let seconds = Double(text) { return Int64(seconds * 1_000_000) }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        guard let date = withFraction.date(from: text) ?? plain.date(from: text) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
