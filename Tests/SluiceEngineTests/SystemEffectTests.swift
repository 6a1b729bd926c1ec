import OrderedCollections
import SluiceEngine
import SluiceWorkflows
import Testing

@Suite("sys.* functions refuse the values Workflows refuses, without crashing")
struct SystemEffectTests {
    private let performer = SystemEffectPerformer(now: { 0 }, next: UnroutedEffectPerformer())
    private let context = EffectContext(
        executionID: "run-1", workflow: "w", revision: 1, idempotencyKey: "run-1/e1", requestedAt: 0)

    private func sleep(_ seconds: WorkflowValue) async -> Result<WorkflowValue, WorkflowError> {
        await performer.perform(
            EffectRequest(
                id: "e1", function: "sys.sleep", arguments: ["seconds": seconds], routine: "main", step: "s",
                isRetryBackoff: false),
            context: context)
    }

    @Test(
        "a sleep longer than a year, negative or not a number is a ValueError",
        arguments: [WorkflowValue.double(1e300), .int(31_536_001), .int(-1), .double(.nan), .double(.infinity)])
    func outOfRangeSleepsAreValueErrors(_ seconds: WorkflowValue) async {
        guard case .failure(let error) = await sleep(seconds) else {
            Issue.record("a sleep of \(seconds) s was accepted")
            return
        }
        #expect(error.tags == ["ValueError"])
    }

    @Test("a sleep that already ended returns null at once")
    func aSleepThatEndedReturnsNull() async throws {
        #expect(try await sleep(.int(0)).get() == .null)
    }
}
