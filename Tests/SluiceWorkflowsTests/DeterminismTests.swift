import Foundation
import SluiceWorkflows
import Testing

@Suite struct DeterminismTests {
    static let source = """
        main:
          steps:
            - init:
                assign:
                  - seen: []
            - p:
                parallel:
                  shared: [seen]
                  for:
                    value: v
                    in: [1, 2, 3]
                    steps:
                      - now:
                          call: sys.now
                          result: t
                      - id:
                          call: uuid.generate
                          result: u
                      - note:
                          assign:
                            - seen: ${list.concat(seen, [v, t, u])}
            - r:
                return: ${seen}
        """

    /// Runs live with a counter as the clock, recording every result by effect id.
    static func record() throws -> (WorkflowValue, [String: WorkflowValue], [EffectRequest]) {
        var execution = WorkflowExecution(definition: try WorkflowDefinition(source: source))
        var history: [String: WorkflowValue] = [:]
        var requests: [EffectRequest] = []
        while true {
            switch execution.advance() {
            case .finished(let value): return (value, history, requests)
            case .failed(let error): throw error
            case .effects(let pending):
                for request in pending {
                    let value: WorkflowValue = .string("\(request.function)#\(history.count)")
                    history[request.id] = value
                    requests.append(request)
                    execution.complete(effectID: request.id, with: .success(value))
                }
            }
        }
    }

    @Test func replayingRecordedEffectResultsReachesTheSameResultAndRequests() throws {
        let (first, history, requests) = try Self.record()
        let (second, _, secondRequests) = try Self.record()
        #expect(first == second)
        #expect(requests == secondRequests)
        var replay = WorkflowExecution(definition: try WorkflowDefinition(source: Self.source))
        var replayed: WorkflowValue?
        while replayed == nil {
            switch replay.advance() {
            case .finished(let value): replayed = value
            case .failed(let error): throw error
            case .effects(let pending):
                for request in pending {
                    replay.complete(effectID: request.id, with: .success(try #require(history[request.id])))
                }
            }
        }
        #expect(replayed == first)
    }

    @Test func aSnapshotRestoredMidwayFinishesLikeTheOriginal() throws {
        let definition = try WorkflowDefinition(source: Self.source)
        var execution = WorkflowExecution(definition: definition)
        guard case .effects(let pending) = execution.advance() else {
            Issue.record("expected effects")
            return
        }
        execution.complete(effectID: pending[0].id, with: .success("fixed"))
        let data = try JSONEncoder().encode(execution.snapshot)
        var restored = WorkflowExecution(
            definition: definition, restoring: try JSONDecoder().decode(ExecutionState.self, from: data))
        func finish(_ run: inout WorkflowExecution) -> WorkflowValue? {
            while true {
                switch run.advance() {
                case .finished(let value): return value
                case .failed: return nil
                case .effects(let requests):
                    for request in requests { run.complete(effectID: request.id, with: .success(.string(request.id))) }
                }
            }
        }
        #expect(finish(&execution) == finish(&restored))
    }

    @Test func copiesOfAnExecutionAdvanceIndependently() throws {
        let definition = try WorkflowDefinition(source: Self.source)
        var original = WorkflowExecution(definition: definition)
        _ = original.advance()
        var copy = original
        let id = try #require(copy.pendingEffects.first?.id)
        copy.complete(effectID: id, with: .success(1))
        #expect(original.pendingEffects.count == copy.pendingEffects.count + 1)
    }

    @Test func stepProgressReportsRoutineAndStepNames() throws {
        let source = """
            main:
              steps:
                - c:
                    call: sub
                - r:
                    return: 1
            sub:
              steps:
                - inner:
                    assign:
                      - x: 1
            """
        var execution = WorkflowExecution(definition: try WorkflowDefinition(source: source))
        execution.recordsStepProgress = true
        _ = execution.advance()
        #expect(
            execution.takeStepProgress() == [
                StepProgress(routine: "main", step: "c"), StepProgress(routine: "sub", step: "inner"),
                StepProgress(routine: "main", step: "r"),
            ])
    }

    @Test func currentStepsNameTheStepWaitingForAnEffect() throws {
        let source = """
            - wait:
                call: sys.sleep
                args:
                  seconds: 1
            """
        var execution = WorkflowExecution(definition: try WorkflowDefinition(source: source))
        _ = execution.advance()
        #expect(execution.currentSteps == [StepProgress(routine: "main", step: "wait")])
    }
}
