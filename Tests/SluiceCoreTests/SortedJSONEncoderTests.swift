import Foundation
import Testing

@testable import SluiceCore

@Suite("The sorted JSON encoder writes what Foundation's encoder writes, faster")
struct SortedJSONEncoderTests {
    struct Inner: Codable, Equatable {
        var label: String
        var weight: Double
        var tags: [String]
    }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case named(String)
        case none
    }

    struct Everything: Codable, Equatable {
        var text: String
        var escaped: String
        var flag: Bool
        var count: Int
        var big: Int64
        var negative: Int32
        var small: Int8
        var byte: UInt8
        var unsigned: UInt64
        var fraction: Double
        var tiny: Double
        var whole: Double
        var single: Float
        var absent: String?
        var present: Int?
        var bytes: [UInt8]
        var data: Data
        var link: URL
        var map: [String: String]
        var numbered: [Int: String]
        var nested: Inner
        var list: [Inner]
        var matrix: [[Double]]
        var shapes: [Shape]
    }

    static let everything = Everything(
        text: "plain",
        escaped: "quote \" backslash \\ slash / newline \n tab \t control \u{01} é 🧪",
        flag: true,
        count: -42,
        big: 1_796_530_004_701_020,
        negative: -7,
        small: -128,
        byte: 255,
        unsigned: UInt64.max,
        fraction: 0.1,
        tiny: 1e-05,
        whole: 3,
        single: 0.1,
        absent: nil,
        present: 5,
        bytes: [0, 1, 254],
        data: Data([0xDE, 0xAD, 0xBE, 0xEF]),
        link: URL(string: "https://example.com/a/b?c=d")!,
        map: ["zeta": "last", "alpha": "first", "mid": ""],
        numbered: [2: "two", 10: "ten"],
        nested: Inner(label: "in", weight: 2.5, tags: []),
        list: [Inner(label: "a", weight: -0.25, tags: ["x", "y"])],
        matrix: [[0.0, 0.0625, 1.0], []],
        shapes: [.circle(radius: 1.5), .named("n"), .none]
    )

    func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("a value of every kind Codable offers encodes to the same bytes as JSONEncoder with sorted keys")
    func sameBytesAsFoundation() throws {
        #expect(try SortedJSONEncoder.encode(Self.everything) == foundation(Self.everything))
    }

    @Test("what it writes decodes back to the value")
    func roundTrips() throws {
        let text = try SortedJSONEncoder.encode(Self.everything)
        #expect(try JSONDecoder().decode(Everything.self, from: Data(text.utf8)) == Self.everything)
    }

    @Test("object keys come out sorted at every level, whatever order the type encodes them in")
    func keysAreSorted() throws {
        let value = ["b": ["d": 1, "c": 2], "a": ["f": 3, "e": 4]]
        #expect(try SortedJSONEncoder.encode(value) == #"{"a":{"e":4,"f":3},"b":{"c":2,"d":1}}"#)
    }

    @Test("a top-level scalar or array is written bare")
    func topLevelScalars() throws {
        #expect(try SortedJSONEncoder.encode("x/y") == #""x/y""#)
        #expect(try SortedJSONEncoder.encode([1, 2]) == "[1,2]")
        #expect(try SortedJSONEncoder.encode(Optional<Int>.none) == "null")
    }

    @Test("a non-finite number is refused, as JSON cannot hold it")
    func nonFiniteNumbersThrow() {
        #expect(throws: EncodingError.self) { try SortedJSONEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try SortedJSONEncoder.encode(["x": Double.infinity]) }
    }
}
