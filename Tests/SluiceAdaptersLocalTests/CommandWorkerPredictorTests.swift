import Foundation
import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import Testing

@Suite("A command worker model answers JSON lines and is restarted when it dies")
struct CommandWorkerPredictorTests {
    /// Echoes a lone instance back as its prediction; `"pid"` answers the worker's process id,
    /// `"crash"` exits, `"slow"` hangs, `"refuse"` answers an error.
    static let worker = #"""
        while IFS= read -r line; do
          case "$line" in
            *'"crash"'*) exit 3 ;;
            *'"slow"'*) sleep 30 ;;
            *'"refuse"'*) echo '{"error": "instance 0 is not an image"}'; continue ;;
            *'"pid"'*) printf '{"predictions":[%s]}\n' "$$"; continue ;;
          esac
          printf '{"predictions":[%s]}\n' "$(printf %s "$line" | sed 's/.*"instances":\[\(.*\)\].*/\1/')"
        done
        """#

    static func predictor(workers: Int = 1, timeout: Duration = .seconds(10)) throws -> CommandWorkerPredictor {
        try CommandWorkerPredictor(command: ["/bin/sh", "-c", worker], workers: workers, timeout: timeout)
    }

    static func ask(_ predictor: CommandWorkerPredictor, _ instance: JSONValue) async throws(SluiceError) -> JSONValue {
        try await predictor.predict(PredictionRequest(instances: [instance], idempotencyKey: "k"))[0]
    }

    @Test("each request gets its own answer, also with many requests on several workers")
    func answersMatchRequests() async throws {
        let predictor = try Self.predictor(workers: 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for value in 0..<24 {
                group.addTask {
                    let answer = try await Self.ask(predictor, .array([.number(Double(value))]))
                    #expect(answer == .array([.number(Double(value))]))
                }
            }
            try await group.waitForAll()
        }
        await predictor.stop()
    }

    @Test("an error answer is invalidArgument with the worker's message")
    func errorAnswerIsInvalidArgument() async throws {
        let predictor = try Self.predictor()
        do throws(SluiceError) {
            _ = try await Self.ask(predictor, .string("refuse"))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasSuffix("instance 0 is not an image"))
        }
        await predictor.stop()
    }

    @Test("a worker that crashes fails its request as unavailable, and the next request gets a new worker")
    func crashedWorkerRestarts() async throws {
        let predictor = try Self.predictor()
        let first = try await Self.ask(predictor, .string("pid"))
        do throws(SluiceError) {
            _ = try await Self.ask(predictor, .string("crash"))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .unavailable)
        }
        let second = try await Self.ask(predictor, .string("pid"))
        #expect(first != second)
        await predictor.stop()
    }

    @Test("a worker killed while idle is replaced for the next request")
    func killedIdleWorkerRestarts() async throws {
        let predictor = try Self.predictor()
        let first = try await Self.ask(predictor, .string("pid"))
        let pid = try #require(first.number.map { pid_t($0) })
        kill(pid, SIGKILL)
        try await Task.sleep(for: .milliseconds(300))
        let second = try await Self.ask(predictor, .string("pid"))
        #expect(second != first)
        await predictor.stop()
    }

    @Test("a worker that exceeds the timeout is killed; the request is unavailable and the next one works")
    func slowWorkerTimesOut() async throws {
        // Long enough for a fresh worker to start and answer on a loaded machine.
        let predictor = try Self.predictor(timeout: .seconds(2))
        let started = ContinuousClock.now
        do throws(SluiceError) {
            _ = try await Self.ask(predictor, .string("slow"))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("did not answer within"))
        }
        // The worker sleeps 30 s: ending well before that means it was killed at the timeout.
        #expect(ContinuousClock.now - started < .seconds(25))
        #expect(try await Self.ask(predictor, .array([.number(4)])) == .array([.number(4)]))
        await predictor.stop()
    }

    @Test("a command that cannot start is unavailable, naming the program")
    func missingProgramIsUnavailable() async throws {
        let predictor = try CommandWorkerPredictor(command: ["/nonexistent/model-worker"])
        do throws(SluiceError) {
            _ = try await Self.ask(predictor, .number(1))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("/nonexistent/model-worker"))
        }
    }
}
