import SluiceWorkflows
import Testing

@Test func jsonTextKeepsIntsAsInts() throws {
    let value = try JSONReader.parse(#"{"a": 1, "b": 1.5, "c": [true, null, "x"]}"#)
    #expect(value == ["a": 1, "b": 1.5, "c": [true, nil, "x"]])
    #expect(try value.jsonString() == #"{"a":1,"b":1.5,"c":[true,null,"x"]}"#)
}
