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
        return rfc3339Microseconds(text)
    }

    /// An RFC 3339 date-time (`2026-12-08T03:43:07.630216Z`, `...+01:00`) to the microsecond,
    /// the precision of the log's clock, so a time the API printed reads back as exactly the time
    /// it was (Foundation's ISO 8601 parser keeps milliseconds only). Digits past the sixth are
    /// dropped; nil for anything that is not such a date-time or names no real day.
    package static func rfc3339Microseconds(_ text: String) -> Int64? {
        var reader = DigitReader(bytes: Array(text.utf8))
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
            let day = reader.number(2), reader.skip("T") || reader.skip("t"), let hour = reader.number(2),
            reader.skip(":"), let minute = reader.number(2), reader.skip(":"), let second = reader.number(2)
        else { return nil }
        var micros: Int64 = 0
        if reader.skip(".") {
            var digits = 0
            while let digit = reader.number(1) {
                if digits < 6 { micros = micros * 10 + digit }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if !(reader.skip("Z") || reader.skip("z")) {
            let sign: Int64
            if reader.skip("+") { sign = 1 } else if reader.skip("-") { sign = -1 } else { return nil }
            guard let offsetHours = reader.number(2) else { return nil }
            // The colon is RFC 3339's; ISO 8601's `+0100` is read too, as Foundation's parser did.
            _ = reader.skip(":")
            guard let offsetMinutes = reader.number(2), offsetHours < 24, offsetMinutes < 60 else { return nil }
            offsetSeconds = sign * (offsetHours * 3_600 + offsetMinutes * 60)
        }
        guard reader.atEnd, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds) * 1_000_000 + micros
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a day of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Reads fixed-width decimal fields and separators from the front of ASCII text.
    private struct DigitReader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        /// The next `width` bytes as a number, or nil (reading nothing) unless all are digits.
        mutating func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += width
            return value
        }

        /// Whether the next byte is `character`, reading it if so.
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
            index += 1
            return true
        }
    }
}
