import OrderedCollections

/// RFC 3339 text for `time.format` and `time.parse`, computed without the system clock. Zones are
/// UTC, fixed offsets like `+09:00`, or IANA names (``NamedTimeZones``), whose offset at the
/// instant formatted follows their daylight saving rules.
enum TimeText {
    static func format(seconds: Double, timezone: String) throws(WorkflowError) -> String {
        guard seconds.isFinite, abs(seconds) < 253_402_300_800 else { throw .valueError("time out of range") }
        let offsetMinutes = try offset(of: timezone, at: seconds)
        let shifted = seconds + Double(offsetMinutes * 60)
        let whole = Int64(shifted.rounded(.down))
        let micros = Int64(((shifted - Double(whole)) * 1_000_000).rounded())
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = civil(days: days)
        var text =
            pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if micros > 0 {
            var fraction = pad(min(micros, 999_999), 6)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        if offsetMinutes == 0 { return text + "Z" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        return text + sign + pad(abs(offsetMinutes) / 60, 2) + ":" + pad(abs(offsetMinutes) % 60, 2)
    }

    static func parse(_ text: String) throws(WorkflowError) -> Double {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) throws(WorkflowError) -> Int64 {
            guard range.upperBound <= chars.count, let value = Int64(String(decoding: chars[range], as: UTF8.self))
            else { throw .valueError("invalid RFC 3339 time '\(text)'") }
            return value
        }
        guard chars.count >= 20, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 116,
            chars[13] == 58, chars[16] == 58
        else { throw .valueError("invalid RFC 3339 time '\(text)'") }
        let (year, month, day) = (try number(0..<4), try number(5..<7), try number(8..<10))
        let (hour, minute, second) = (try number(11..<13), try number(14..<16), try number(17..<19))
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
            second < 61
        else {
            throw .valueError("invalid RFC 3339 time '\(text)'")
        }
        var position = 19
        var fraction = 0.0
        if position < chars.count, chars[position] == 46 {
            var end = position + 1
            while end < chars.count, (48...57).contains(chars[end]) { end += 1 }
            guard end > position + 1, let value = Double("0" + String(decoding: chars[position..<end], as: UTF8.self))
            else { throw .valueError("invalid fraction in '\(text)'") }
            fraction = value
            position = end
        }
        var offset: Int64 = 0
        guard position < chars.count else { throw .valueError("missing time zone in '\(text)'") }
        if chars[position] == 90 || chars[position] == 122 {
            guard position + 1 == chars.count else { throw .valueError("invalid RFC 3339 time '\(text)'") }
        } else {
            guard position + 6 == chars.count, chars[position] == 43 || chars[position] == 45,
                chars[position + 3] == 58
            else { throw .valueError("invalid time zone in '\(text)'") }
            let (offsetHours, offsetMinutes) = (
                try number(position + 1..<position + 3), try number(position + 4..<position + 6)
            )
            guard offsetHours <= 23, offsetMinutes <= 59 else { throw .valueError("invalid time zone in '\(text)'") }
            offset = offsetHours * 60 + offsetMinutes
            if chars[position] == 45 { offset = -offset }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60) + fraction
    }

    /// Days in a month of the proleptic Gregorian calendar.
    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func offset(of zone: String, at seconds: Double) throws(WorkflowError) -> Int64 {
        if ["UTC", "Z", "GMT", "Etc/UTC"].contains(zone) { return 0 }
        let chars = Array(zone.utf8)
        if chars.count == 6, chars[0] == 43 || chars[0] == 45, chars[3] == 58,
            let h = Int64(String(decoding: chars[1..<3], as: UTF8.self)),
            let m = Int64(String(decoding: chars[4..<6], as: UTF8.self))
        {
            // RFC 3339 offsets run to ±23:59; "+99:99" is not a zone, whatever its digits say.
            guard h <= 23, m <= 59 else { throw .valueError("time zone offset '\(zone)' is out of range") }
            return (chars[0] == 45 ? -1 : 1) * (h * 60 + m)
        }
        if let named = NamedTimeZones.offsetMinutes(zone, at: seconds) { return named }
        throw .valueError("unknown time zone '\(zone)'")
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Howard Hinnant's civil-from-days algorithm.
    private static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// RFC 3339 helpers for hosts (for example to perform `sys.sleep_until`).
public enum WorkflowTime {
    /// Seconds since the epoch for an RFC 3339 time; ValueError when malformed.
    public static func parse(_ text: String) throws(WorkflowError) -> Double { try TimeText.parse(text) }
}
