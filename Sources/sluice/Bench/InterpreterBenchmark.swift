import ArgumentParser
import Foundation
import SluiceWorkflows

/// `sluice bench interpreter`: the workflow interpreter's speed against the issue's targets.
struct InterpreterBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpreter", abstract: "Benchmark the workflow interpreter (build with -c release).")

    @Flag(name: .long, help: "Print one JSON object per figure.")
    var json = false

    /// One measured figure with the target it is compared to.
    private struct InterpreterBenchFigure: Encodable {
        var name: String
        var value: Double
        var unit: String
        var baseline: Double
        var ratio: Double
    }

    static let loopSource = """
        main:
          steps:
            - init:
                assign:
                  - total: 0
            - loop:
                for:
                  value: i
                  range: [1, 10000]
                  steps:
                    - add:
                        assign:
                          - total: ${total + i}
            - done:
                return: ${total}
        """

    static let threeStepSource = """
        - first:
            assign:
              - a: 1
        - second:
            assign:
              - b: ${a + 1}
        - done:
            return: ${b}
        """

    static let replaySource = """
        main:
          steps:
            - init:
                assign:
                  - stamps: 0
            - loop:
                for:
                  value: i
                  range: [1, 500]
                  steps:
                    - read_clock:
                        call: sys.now
                        result: now
                    - count:
                        assign:
                          - stamps: ${stamps + 1}
            - done:
                return: ${stamps}
        """

    func run() throws {
        var figures: [InterpreterBenchFigure] = []
        let loop = try WorkflowDefinition(source: Self.loopSource)
        let loopMs = Self.bestOf(15) {
            var execution = WorkflowExecution(definition: loop)
            _ = execution.advance()
        }
        figures.append(.init(name: "loop_10k_ms", value: loopMs, unit: "ms", baseline: 5, ratio: loopMs / 5))

        let three = try WorkflowDefinition(source: Self.threeStepSource)
        let clock = ContinuousClock()
        var count = 0
        let start = clock.now
        while clock.now - start < .seconds(1) {
            for _ in 0..<1000 {
                var execution = WorkflowExecution(definition: three)
                _ = execution.advance()
            }
            count += 1000
        }
        let seconds = Self.seconds(clock.now - start)
        let rate = Double(count) / seconds
        figures.append(
            .init(
                name: "three_step_executions_per_s", value: rate.rounded(), unit: "executions/s", baseline: 100_000,
                ratio: rate / 100_000))

        let replay = try WorkflowDefinition(source: Self.replaySource)
        var recorded: [String: WorkflowValue] = [:]
        var live = WorkflowExecution(definition: replay)
        while case .effects(let requests) = live.advance() {
            for request in requests {
                recorded[request.id] = .double(Double(recorded.count))
                live.complete(effectID: request.id, with: .success(recorded[request.id]!))
            }
        }
        let steps = live.stepsExecuted
        let history = recorded
        let replayMs = Self.bestOf(15) {
            var execution = WorkflowExecution(definition: replay)
            while case .effects(let requests) = execution.advance() {
                for request in requests {
                    execution.complete(effectID: request.id, with: .success(history[request.id] ?? .null))
                }
            }
        }
        let scaled = replayMs * 1000 / Double(max(steps, 1))
        figures.append(
            .init(name: "replay_1000_steps_ms", value: scaled, unit: "ms", baseline: 10, ratio: scaled / 10))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for figure in figures {
            if json {
                print(String(decoding: try encoder.encode(figure), as: UTF8.self))
            } else {
                print(
                    "\(figure.name): \(String(format: "%.3f", figure.value)) \(figure.unit) (target \(figure.baseline))"
                )
            }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The fastest of `runs` timings in milliseconds (after one warm-up run).
    private static func bestOf(_ runs: Int, _ body: () -> Void) -> Double {
        body()
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<runs {
            let start = clock.now
            body()
            best = min(best, seconds(clock.now - start) * 1000)
        }
        return best
    }
}
