import SluiceLog
import SluiceTesting
import Testing

@Suite("The in-memory log meets the event log contract")
struct MemoryEventLogConformanceTests {
    @Test(arguments: EventLogConformance.all)
    func conformance(_ check: EventLogConformance.Check) async throws {
        try await check.run(on: MemoryEventLog())
    }
}
