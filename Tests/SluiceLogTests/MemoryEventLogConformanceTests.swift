import SluiceLog
import SluiceTesting
import Testing

@Suite("The in-memory log meets the event log contract")
struct MemoryEventLogConformanceTests {
    @Test(arguments: EventLogConformance.all)
    func conformance(_ check: EventLogConformance.Check) async throws {
        try await check.run(on: MemoryEventLog())
    }

    /// A parameterized test over an empty list passes silently: the contract must stay whole.
    @Test("the contract's checks are all there, each named once")
    func contractIsComplete() {
        let names = EventLogConformance.all.map(\.name)
        #expect(names.count >= 18)
        #expect(Set(names).count == names.count)
    }
}
