import Foundation

/// IANA time zones (`America/New_York`) for `time.format`, with their daylight saving rules, from
/// the time zone data Foundation carries.
enum NamedTimeZones {
    /// The UTC offset, in minutes, of zone `name` at `seconds` since the epoch; nil when no zone
    /// has that name.
    static func offsetMinutes(_ name: String, at seconds: Double) -> Int64? {
        guard isZoneName(name), let zone = TimeZone(identifier: name) else { return nil }
        return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds)) / 60)
    }

    /// Whether `name` is shaped like an IANA name (`Area/Location`, letters, digits, `_`, `-`,
    /// `+`), so nothing else (a path such as `../x`) ever reaches the zone lookup.
    static func isZoneName(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return name.utf8.count <= 64
            && parts.allSatisfy { part in
                part.first?.isLetter == true
                    && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-+".contains($0)) }
            }
    }
}
