import SluiceCore
import SluiceLog
import Testing

@Suite("Data written by Sluice's own encoders skips the log's JSON scan, and only that data")
struct EncodedDataTests {
    @Test("an event made from encoded data says so, and is equal to the same event made from text")
    func encodedDataIsMarkedButNotPartOfIdentity() {
        let encoded = NewEvent(type: "a.b", encodedData: #"{"x":1}"#)
        let plain = NewEvent(type: "a.b", data: #"{"x":1}"#)
        #expect(encoded.dataIsEncodedJSON)
        #expect(!plain.dataIsEncodedJSON)
        #expect(encoded == plain)
        #expect(Set([encoded, plain]).count == 1)
    }

    @Test("changing an encoded event's data makes the log check it again")
    func changedDataIsCheckedAgain() async throws {
        var event = NewEvent(type: "a.b", encodedData: #"{"x":1}"#)
        event.data = "not json"
        #expect(!event.dataIsEncodedJSON)
        let log = MemoryEventLog()
        let error = await #expect(throws: SluiceError.self) {
            try await log.append([event], to: StreamName(unchecked: "s"), expectedVersion: .any)
        }
        #expect(error?.code == .invalidArgument)
    }
}
