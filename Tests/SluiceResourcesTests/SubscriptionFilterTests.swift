import SluiceCore
import SluiceResources
import Testing

@Suite struct SubscriptionFilterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var filter: String
        var attributes: [String: String]
        var matches: Bool
        var testDescription: String { "\(filter) on \(attributes.keys.sorted())" }
    }

    static let cases: [Case] = [
        Case(filter: #"attributes.domain = "com""#, attributes: ["domain": "com"], matches: true),
        Case(filter: #"attributes.domain = "com""#, attributes: ["domain": "org"], matches: false),
        Case(filter: #"attributes.domain = "com""#, attributes: [:], matches: false),
        Case(filter: #"attributes.domain != "com""#, attributes: ["domain": "org"], matches: true),
        Case(filter: #"attributes.domain != "com""#, attributes: [:], matches: true),
        Case(filter: #"attributes.domain != "com""#, attributes: ["domain": "com"], matches: false),
        Case(filter: "attributes:domain", attributes: ["domain": ""], matches: true),
        Case(filter: "attributes:domain", attributes: ["other": "x"], matches: false),
        Case(filter: "NOT attributes:domain", attributes: [:], matches: true),
        Case(filter: "-attributes:domain", attributes: ["domain": "x"], matches: false),
        Case(filter: #"hasPrefix(attributes.domain, "co")"#, attributes: ["domain": "com"], matches: true),
        Case(filter: #"hasPrefix(attributes.domain, "co")"#, attributes: ["domain": "org"], matches: false),
        Case(filter: #"hasPrefix(attributes.domain, "co")"#, attributes: [:], matches: false),
        Case(filter: #"attributes.a = "1" AND attributes.b = "2""#, attributes: ["a": "1", "b": "2"], matches: true),
        Case(filter: #"attributes.a = "1" AND attributes.b = "2""#, attributes: ["a": "1"], matches: false),
        Case(
            filter: #"attributes.a = "1" OR attributes.b = "2" OR attributes:c"#, attributes: ["c": ""], matches: true),
        Case(
            filter: #"(attributes.a = "1" OR attributes.b = "2") AND NOT attributes:c"#, attributes: ["b": "2"],
            matches: true),
        Case(
            filter: #"(attributes.a = "1" OR attributes.b = "2") AND NOT attributes:c"#,
            attributes: ["b": "2", "c": ""], matches: false),
        Case(
            filter: #"attributes."iana.org/language_tag" = "en""#, attributes: ["iana.org/language_tag": "en"],
            matches: true),
        Case(filter: #"attributes.my-key_1 = "v""#, attributes: ["my-key_1": "v"], matches: true),
        Case(filter: #"attributes.k = "say \"hi\"\n""#, attributes: ["k": "say \"hi\"\n"], matches: true),
        Case(filter: #"attributes.k = "\x41\101\u00e9""#, attributes: ["k": "AAé"], matches: true),
        Case(
            filter: #"attributes.eventType = "OBJECT_FINALIZE""#, attributes: ["eventType": "OBJECT_FINALIZE"],
            matches: true),
        Case(filter: #"attributes.k = "V""#, attributes: ["k": "v"], matches: false),
        Case(filter: "NOT NOT attributes:k", attributes: ["k": "v"], matches: true),
        Case(filter: "  attributes:k\n\tAND\nattributes:j  ", attributes: ["k": "", "j": ""], matches: true),
        Case(filter: #"NOT (attributes:a OR attributes:b)"#, attributes: ["c": ""], matches: true),
        Case(filter: #"NOT (attributes:a OR attributes:b)"#, attributes: ["b": ""], matches: false),
        Case(
            filter: #"-hasPrefix(attributes.objectId, "incoming/")"#, attributes: ["objectId": "other/x"], matches: true
        ),
        Case(filter: #"hasPrefix(attributes.k, "")"#, attributes: ["k": "anything"], matches: true),
        Case(filter: #"hasPrefix(attributes."a b", "x")"#, attributes: ["a b": "xy"], matches: true),
        Case(filter: #"attributes:"quoted\"key""#, attributes: ["quoted\"key": ""], matches: true),
        Case(filter: #"attributes.k = "\U0001F600""#, attributes: ["k": "😀"], matches: true),
        Case(filter: #"attributes.k = "café""#, attributes: ["k": "café"], matches: true),
        Case(
            filter: #"((attributes:a AND attributes:b) OR (attributes:c AND attributes:d)) AND NOT attributes:e"#,
            attributes: ["c": "", "d": ""], matches: true
        ),
        Case(
            filter: #"attributes.eventType = "OBJECT_FINALIZE" AND hasPrefix(attributes.objectId, "incoming/")"#,
            attributes: ["eventType": "OBJECT_FINALIZE", "objectId": "incoming/cat.png"], matches: true
        ),
        Case(filter: "attributes:123", attributes: ["123": ""], matches: true),
    ]

    @Test(arguments: cases)
    func filtersMatchAttributesAsDocumented(_ testCase: Case) throws {
        let filter = try SubscriptionFilter(parsing: testCase.filter)
        #expect(filter.matches(ExactStringMap(testCase.attributes)) == testCase.matches)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var filter: String
        var complaint: String
        var testDescription: String { filter }
    }

    static let bad: [Bad] = [
        Bad(filter: "", complaint: "empty"),
        Bad(filter: #"attributes.a = "1" AND attributes.b = "2" OR attributes:c"#, complaint: "without parentheses"),
        Bad(filter: #"attributes.a = "1" and attributes.b = "2""#, complaint: "uppercase"),
        Bad(filter: "not attributes:a", complaint: "uppercase"),
        Bad(filter: #"attributes.a = 1"#, complaint: "string literal"),
        Bad(filter: #"attributes.a = "unterminated"#, complaint: "unterminated"),
        Bad(filter: #"attributes.a"#, complaint: "'=' or '!='"),
        Bad(filter: #"data = "x""#, complaint: "expected attributes"),
        Bad(filter: #"hasPrefix(attributes.a)"#, complaint: "','"),
        Bad(filter: #"(attributes:a"#, complaint: "')'"),
        Bad(filter: #"attributes:a attributes:b"#, complaint: "AND, OR"),
        Bad(filter: #"attributes.a < "1""#, complaint: "unexpected character"),
        Bad(filter: #"attributes.a = "\q""#, complaint: "unknown escape"),
        Bad(filter: "attributes:" + String(repeating: "k", count: 250), complaint: "256 bytes"),
        Bad(
            filter: String(repeating: "(", count: 40) + "attributes:a" + String(repeating: ")", count: 40),
            complaint: "nests"),
        Bad(filter: #"attributes."" = "x""#, complaint: "empty"),
        Bad(filter: #"Attributes:a"#, complaint: "expected attributes"),
        Bad(filter: #"hasprefix(attributes.a, "x")"#, complaint: "expected attributes"),
        Bad(filter: #"attributes.a = 'x'"#, complaint: "unexpected character"),
        Bad(filter: #"attributes.a == "x""#, complaint: "string literal"),
        Bad(filter: #"attributes:a AND"#, complaint: "ends where a condition"),
        Bad(filter: #"attributes:a OR OR attributes:b"#, complaint: "expected a condition before OR"),
        Bad(filter: #"()"#, complaint: "expected attributes"),
        Bad(filter: #"attributes.a = "x" OR"#, complaint: "ends where a condition"),
        Bad(filter: #"hasPrefix(attributes:a, "x")"#, complaint: "attributes.KEY"),
        Bad(filter: #"attributes.a = "\x4""#, complaint: "2 digits"),
        Bad(filter: #"attributes.a = "\uD800""#, complaint: "Unicode scalar"),
        Bad(
            filter: #"attributes.a != "x" AND (attributes:b OR attributes:c) OR attributes:d"#,
            complaint: "without parentheses"),
    ]

    @Test(arguments: bad)
    func malformedFiltersAreRejectedWithAClearMessage(_ testCase: Bad) {
        do {
            _ = try SubscriptionFilter(parsing: testCase.filter)
            Issue.record("accepted \(testCase.filter)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(testCase.complaint), "\(error.message)")
        }
    }

    @Test func errorsNameTheByteOffset() {
        do {
            _ = try SubscriptionFilter(parsing: #"attributes:a OR attributes.b ~ "x""#)
        } catch {
            #expect(error.message.hasPrefix("invalid filter at byte 29:"))
        }
    }

    @Test func aFilterOfExactly256BytesIsAccepted() throws {
        let filter = "attributes:" + String(repeating: "k", count: 245)
        #expect(filter.utf8.count == 256)
        _ = try SubscriptionFilter(parsing: filter)
    }
}
