/// Formats timestamps as RFC 3339 in UTC without Foundation's locale-dependent formatters.
enum RFC3339 {
    /// `YYYY-MM-DDTHH:MM:SS[.fff...]Z` with exactly `fractionDigits` digits (0 omits the dot).
    ///
    /// Written digit by digit into the string's own storage: object resources carry two of these,
    /// and building them from padded pieces allocated about ten strings each.
    static func format(_ time: Timestamp, fractionDigits: Int) -> String {
        let micros = time.microseconds
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let shownFraction = min(max(fractionDigits, 0), 6)
        var fields: [(value: Int64, width: Int, after: UInt8)] = [
            (max(year, 0), max(4, decimalDigits(max(year, 0))), UInt8(ascii: "-")),
            (month, 2, UInt8(ascii: "-")), (day, 2, UInt8(ascii: "T")),
            (secondOfDay / 3600, 2, UInt8(ascii: ":")), (secondOfDay / 60 % 60, 2, UInt8(ascii: ":")),
            (secondOfDay % 60, 2, fractionDigits > 0 ? UInt8(ascii: ".") : UInt8(ascii: "Z")),
        ]
        if fractionDigits > 0 {
            fields.append((fraction / powerOfTen(6 - shownFraction), shownFraction, UInt8(ascii: "Z")))
        }
        let padding = max(0, fractionDigits - 6)
        let length = fields.reduce(padding) { $0 + $1.width + 1 }
        return String(unsafeUninitializedCapacity: length) { out in
            var index = 0
            for field in fields {
                var value = field.value
                for offset in stride(from: field.width - 1, through: 0, by: -1) {
                    out[index + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                index += field.width
                if field.after == UInt8(ascii: "Z") {
                    for _ in 0..<padding {
                        out[index] = UInt8(ascii: "0")
                        index += 1
                    }
                }
                out[index] = field.after
                index += 1
            }
            return index
        }
    }

    private static func decimalDigits(_ value: Int64) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }

    private static func powerOfTen(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(Int64(1)) { product, _ in product * 10 }
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
