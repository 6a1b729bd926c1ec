import SluiceLog
import Testing

@Suite("Timestamps read RFC 3339 to the microsecond the log keeps")
struct TimestampsTests {
    @Test("a time printed with six fraction digits reads back as exactly that time")
    func sixFractionDigitsRoundTrip() {
        let text = "2026-12-08T03:43:07.630216Z"
        let micros = Timestamps.parse(text)
        #expect(micros == 1_796_701_387_630_216)
        #expect(micros.map(Timestamps.iso8601) == text)
    }

    @Test(
        "an offset, a short or long fraction, or no fraction name the instant they spell in UTC",
        arguments: [
            ("1970-01-01T00:00:01Z", 1_000_000), ("1970-01-01T01:00:01.5+01:00", 1_500_000),
            ("1969-12-31T23:59:59.999999999z", -1), ("2000-02-29t12:00:00-00:30", 951_827_400_000_000),
            ("1970-01-01T01:00:00+0100", 0),
        ] as [(String, Int64)])
    func offsetsAndFractions(text: String, micros: Int64) {
        #expect(Timestamps.parse(text) == micros)
    }

    @Test(
        "text that is not an RFC 3339 date-time, or names a day that does not exist, is no time",
        arguments: [
            "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00",
            "2026-01-01T00:00:00.Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+01", "yesterday",
        ])
    func malformedTimesAreRefused(text: String) {
        #expect(Timestamps.parse(text) == nil)
    }
}
