import Foundation
package import SluiceCore

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
    package static func iso8601(_ micros: Int64) -> String { rfc3339(micros, fractionDigits: 6) }

    /// RFC 3339 in UTC with 3 (GCS) or 6 (Pub/Sub, Workflows) fraction digits.
    package static func rfc3339(_ micros: Int64, fractionDigits: Int) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let digits = fractionDigits == 3 ? String(format: "%03d", fraction / 1_000) : String(format: "%06d", fraction)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", p.year ?? 1970, p.month ?? 1, p.day ?? 1, p.hour ?? 0,
            p.minute ?? 0,
            p.second ?? 0) + "." + digits + "Z"
    }

    /// Parses RFC 3339 (`2026-11-24T10:00:00Z`, optional fraction and offset) or Unix seconds;
    /// nil for anything else, or a time the log's microsecond clock cannot hold.
    package static func parse(_ text: String) -> Int64? {
        if let seconds = Double(text) { return Int64(exactly: (seconds * 1_000_000).rounded(.down)) }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        guard let date = withFraction.date(from: text) ?? plain.date(from: text) else { return nil }
        return Int64(exactly: (date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
