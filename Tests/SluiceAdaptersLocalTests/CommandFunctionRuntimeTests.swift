import Foundation
import SluiceAdapters
import SluiceAdaptersLocal
import Testing

@Suite("A command function gets the CloudEvent on stdin and acknowledges by exit status")
struct CommandFunctionRuntimeTests {
    private func shell(_ script: String, captureLimit: Int = 64 * 1024, grace: Duration = .seconds(2))
        -> CommandFunctionRuntime
    {
        CommandFunctionRuntime(command: ["/bin/sh", "-c", script], captureLimit: captureLimit, terminationGrace: grace)
    }

    @Test("exit status 0 acknowledges, and stdin held the structured CloudEvent")
    func exitZeroSucceedsWithEventOnStdin() async throws {
        let outcome = await shell("cat").invoke(FunctionFixtures.invocation())
        #expect(outcome.status == .succeeded)
        let object = try JSONSerialization.jsonObject(with: Data(outcome.output.text.utf8)) as? [String: Any]
        #expect(object?["specversion"] as? String == "1.0")
        #expect(object?["id"] as? String == "42")
        #expect(object?["type"] as? String == "google.cloud.pubsub.topic.v1.messagePublished")
        #expect(object?["source"] as? String == "//pubsub.googleapis.com/projects/demo/topics/uploads")
        let message = (object?["data"] as? [String: Any])?["message"] as? [String: Any]
        #expect(message?["messageId"] as? String == "42")
        #expect(message?["message_id"] as? String == "42")
        #expect(message?["data"] as? String == Data("{\"name\":\"cat.png\"}".utf8).base64EncodedString())
        #expect((message?["attributes"] as? [String: String])?["objectId"] == "cat.png")
    }

    @Test("a non-zero exit fails the attempt and keeps what the command printed to stderr")
    func nonZeroExitFails() async {
        let outcome = await shell("echo 'model not loaded' >&2; exit 3").invoke(FunctionFixtures.invocation())
        #expect(outcome.status == .failed("exit status 3"))
        #expect(outcome.errorOutput.lines == ["model not loaded"])
    }

    @Test("a command past its timeout is stopped, even one that ignores SIGTERM")
    func timeoutStopsTheCommand() async {
        let started = ContinuousClock.now
        let outcome = await shell("trap '' TERM; exec sleep 600", grace: .milliseconds(300))
            .invoke(FunctionFixtures.invocation(timeout: .milliseconds(200)))
        #expect(outcome.status == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test("output beyond the capture limit is dropped and counted, and the command is not blocked")
    func outputIsBounded() async {
        let outcome = await shell("head -c 200000 /dev/zero | tr '\\\\0' x", captureLimit: 1_000)
            .invoke(FunctionFixtures.invocation())
        #expect(outcome.status == .succeeded)
        #expect(outcome.output.text.utf8.count == 1_000)
        #expect(outcome.output.droppedBytes == 199_000)
    }

    @Test("a program that does not exist is reported unreachable, not thrown")
    func missingProgramIsUnreachable() async {
        let runtime = CommandFunctionRuntime(command: ["/nonexistent/sluice-function"])
        let outcome = await runtime.invoke(FunctionFixtures.invocation())
        guard case .unreachable = outcome.status else {
            Issue.record("expected unreachable, got \(outcome.status)")
            return
        }
    }

    @Test("the command sees its function name, attempt and idempotency key in the environment")
    func environmentCarriesTheInvocation() async {
        let runtime = CommandFunctionRuntime(
            command: ["/bin/sh", "-c", "echo $K_SERVICE $SLUICE_ATTEMPT $SLUICE_IDEMPOTENCY_KEY $MODEL"],
            environment: ["MODEL": "digits"]
        )
        let outcome = await runtime.invoke(FunctionFixtures.invocation())
        #expect(outcome.output.lines == ["classify 1 msg-42 digits"])
    }
}
