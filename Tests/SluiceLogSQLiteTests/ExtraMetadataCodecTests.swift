import Testing

@testable import SluiceLogSQLite

@Suite("Free metadata keys are stored as JSON and read back exactly")
struct ExtraMetadataCodecTests {
    @Test(
        "keys round-trip, with and without characters that need escapes",
        arguments: [
            [:], ["notifications": "inline"], ["a": "1", "b": "two words", "c": ""],
            ["caf\u{e9}": "\u{1F600}", "k": "a,b:{c}"], ["q": "say \"hi\"\n", "path": "C:\\dir"],
            ["tab": "\t", "nul": "\u{0}"],
        ] as [[String: String]])
    func keysRoundTrip(_ extra: [String: String]) {
        #expect(ExtraMetadataCodec.decode(ExtraMetadataCodec.encode(extra)) == extra)
    }

    @Test("text without escapes is split directly, and anything else is left to the JSON decoder")
    func onlyPlainTextTakesTheDirectPath() {
        #expect(ExtraMetadataCodec.decodeUnescaped(#"{"a":"b","c":"d"}"#) == ["a": "b", "c": "d"])
        #expect(ExtraMetadataCodec.decodeUnescaped("{}") == [:])
        #expect(ExtraMetadataCodec.decodeUnescaped(#"{"a":"b\"c"}"#) == nil)
        #expect(ExtraMetadataCodec.decodeUnescaped(#"{"a":1}"#) == nil)
        #expect(ExtraMetadataCodec.decodeUnescaped(#"{"a":"b"} "#) == nil)
        #expect(ExtraMetadataCodec.decodeUnescaped(#"{"a":"b""c":"d"}"#) == nil)
        #expect(ExtraMetadataCodec.decode(#"{"a": "spaced"}"#) == ["a": "spaced"])
        #expect(ExtraMetadataCodec.decode("not json") == [:])
    }
}
