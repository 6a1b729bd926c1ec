import Foundation
import SluiceWorkflows
import Testing

@Test func jsonTextKeepsIntsAsInts() throws {
    let value = try JSONReader.parse(#"{"a": 1, "b": 1.5, "c": [true, null, "x"]}"#)
    #expect(value == ["a": 1, "b": 1.5, "c": [true, nil, "x"]])
    #expect(try value.jsonString() == #"{"a":1,"b":1.5,"c":[true,null,"x"]}"#)
}

@Test(arguments: [
    ("0", WorkflowValue.int(0)), ("-0", .int(0)), ("42", .int(42)), ("-17", .int(-17)),
    ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
    ("9223372036854775808", .double(9_223_372_036_854_775_808)),
    ("-9223372036854775809", .double(-9_223_372_036_854_775_808)),  // the nearest double
    ("0.0625", .double(0.0625)), ("-1.5e3", .double(-1_500)), ("2E-2", .double(0.02)), ("1e+2", .double(100)),
])
func jsonNumbersReadAsIntsWhileTheyFitAndAsDoublesOtherwise(text: String, expected: WorkflowValue) throws {
    #expect(try JSONReader.parse("[\(text)]") == [expected])
    #expect(try JSONReader.parse(text) == expected)
}

@Test(arguments: ["-", "1.", "1e", "1e+", "1.5.", "--1", "-.5", "01", "-01", "00", "1.e5", "1e5e3", "1e+-2"])
func malformedJSONNumbersAreErrors(text: String) {
    #expect(throws: WorkflowError.self) { try JSONReader.parse("[\(text)]") }
}

@Test func jsonStringsKeepTheirCharactersWithOrWithoutEscapes() throws {
    #expect(
        try JSONReader.parse(#"["plain", "caf\u00e9", "café ✓", "a\"b", "\u2713 ✓"]"#) == [
            "plain", "café", "café ✓", "a\"b", "✓ ✓",
        ])
}

@Test(arguments: [[0xFF], [0xC3], [0xE2, 0x9C], [0xC0, 0xAF]])
func jsonStringsThatAreNotUTF8AreErrors(bad: [UInt8]) {
    let text = Array(#"{"k": "ok"#.utf8) + bad + Array(#""}"#.utf8)
    #expect(throws: WorkflowError.self) { try JSONReader.parse(bytes: text) }
    let escaped = Array(#"{"k": "\n"#.utf8) + bad + Array(#""}"#.utf8)
    #expect(throws: WorkflowError.self) { try JSONReader.parse(bytes: escaped) }
}

@Test func encodingAValueNestedBeyondTheLimitIsAResourceLimitError() throws {
    var value: WorkflowValue = 1
    for _ in 0..<10_000 { value = .list([value]) }
    #expect(throws: WorkflowError.self) { try value.jsonString() }
}

@Test func snapshotsEncodeBytesIntsAndDoublesExactly() throws {
    let value: WorkflowValue = ["b": .bytes([0, 255]), "i": 3, "d": 3.0, "n": nil]
    let data = try JSONEncoder().encode(value)
    #expect(try JSONDecoder().decode(WorkflowValue.self, from: data) == value)
}

@Test(arguments: [
    WorkflowValue.null, 1, 1.5, "x", ["a": [1, 2, ["b": true]]],
    .bytes([1]), .double(.infinity), .double(.nan), ["a": [.bytes([])]], [1, .double(-.infinity)],
])
func aValueIsJSONEncodableExactlyWhenItsJSONTextCanBeWritten(value: WorkflowValue) {
    #expect(value.isJSONEncodable == ((try? value.jsonString()) != nil))
}

@Test func aValueNestedBeyondTheLimitIsNotJSONEncodable() {
    var value: WorkflowValue = 1
    for _ in 0..<JSONReader.maximumDepth { value = .list([value]) }
    #expect(!value.isJSONEncodable)
    #expect((try? value.jsonString()) == nil)
}

@Test func indentedJSONPutsEachMemberOnItsOwnLineWithThePrefixAndOneIndentPerLevel() throws {
    let value: WorkflowValue = ["a": [1, 2.0], "b": [:], "c": []]
    let layout = WorkflowValue.JSONLayout(prefix: "> ", indent: "  ")
    #expect(
        try value.jsonString(layout: layout)
            == "{\n>   \"a\": [\n>     1,\n>     2.0\n>   ],\n>   \"b\": {},\n>   \"c\": []\n> }")
}

@Test func jsonTextEscapesQuotesBackslashesAndControlsAndKeepsOtherCharactersAsTheyAre() throws {
    let value: WorkflowValue = ["k\"\\": "tab\there\u{1}, caf\u{e9} \u{1F600}"]
    #expect(try value.jsonString() == #"{"k\"\\":"tab\there\u0001, café 😀"}"#)
    #expect(try JSONReader.parse(try value.jsonString()) == value)
}

@Test func aRepeatedJSONKeyKeepsItsFirstPlaceAndItsLastValue() throws {
    let value = try JSONReader.parse(#"{"a": 1, "b": 2, "a": 3}"#)
    #expect(try value.jsonString() == #"{"a":3,"b":2}"#)
}

@Test func nestedListsAndMapsKeepEveryMemberInOrder() throws {
    let text = #"{"outer": [[], {}, [1, [2, 3], {"k": [4]}], {"x": {"y": []}, "z": 5}], "last": [6, 7]}"#
    let expected: WorkflowValue = [
        "outer": [[], [:], [1, [2, 3], ["k": [4]]], ["x": ["y": []], "z": 5]],
        "last": [6, 7],
    ]
    #expect(try JSONReader.parse(text) == expected)
    #expect(try JSONReader.parse(text).jsonString() == text.replacingOccurrences(of: " ", with: ""))
}
