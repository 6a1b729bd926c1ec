import Foundation
import Hummingbird
import SluiceTesting
import Testing

/// One execution that the server never survives resuming must not keep the server down: after
/// as many crashes in a row as the limit, the next start fails the execution and serves. Kills
/// are not crashes: an execution the server was killed on any number of times runs on.
@Suite("A server that crashes every time it resumes an execution fails that execution and starts", .serialized)
struct CrashLoopTests {
    static let workflows = "/v1/projects/p/locations/l/workflows"

    /// Calls the slow endpoint has received.
    actor Calls {
        var count = 0
        func add() { count += 1 }
    }

    /// How a run of `stopWhileResumed` ended.
    struct Outcome: Sendable {
        var state = ""
        var stops = 0
        var calls = 0
        var error = ""
    }

    actor OutcomeBox {
        var value = Outcome()
        func set(_ outcome: Outcome) { value = outcome }
    }

    /// Starts the server on a new log, runs an execution stuck in a call to a slow endpoint, and
    /// ends the server with `signal` each time the execution is in that call again, at most
    /// `rounds` times or until a start fails it. Returns the execution's state, the ends, the
    /// calls the endpoint received and the error's text.
    func stopWhileResumed(by signal: Int32, rounds: Int) async throws -> Outcome {
        let calls = Calls()
        let router = Router()
        router.get("/slow") { _, _ -> String in
            await calls.add()
            try await Task.sleep(for: .seconds(120))
            return "late"
        }
        let box = OutcomeBox()
        try await TestHTTPServer.with(router) { port in
            let workflow = """
                main:
                  steps:
                    - call_slow:
                        call: http.get
                        args:
                          url: http://127.0.0.1:\(port)/slow
                          timeout: 600
                        result: answer
                    - done:
                        return: ${answer.body}
                """
            let binary = try SluiceBinary.locate()
            let database = try ServeProcess.temporaryDatabase()
            var server = try await ServeProcess(binary: binary, database: database)
            let source = try JSONSerialization.data(withJSONObject: ["sourceContents": workflow])
            _ = try await server.call(
                "POST", Self.workflows + "?workflowId=stuck", body: String(decoding: source, as: UTF8.self))
            let name = try #require(
                try await server.request("POST", Self.workflows + "/stuck/executions")["name"] as? String)
            var state = "ACTIVE"
            var stops = 0
            for round in 0..<rounds {
                // Every start resumes the execution, which calls the endpoint again: stop the
                // server while that call is in flight, unless the start failed the execution.
                for _ in 0..<500 {
                    state = try await server.request("GET", "/v1/" + name)["state"] as? String ?? ""
                    let called = await calls.count
                    if state != "ACTIVE" || called > round { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                guard state == "ACTIVE" else { break }
                _ = await server.stop(signal: signal)
                stops += 1
                server = try await ServeProcess(binary: binary, database: database)
            }
            defer { server.terminate(signal: SIGTERM) }
            let execution = try await server.request("GET", "/v1/" + name)
            #expect(try await server.call("GET", "/healthz").status == 200)
            await box.set(
                Outcome(
                    state: execution["state"] as? String ?? "", stops: stops, calls: await calls.count,
                    error: "\(execution["error"] as? [String: Any] ?? [:])"))
        }
        return await box.value
    }

    @Test("crashing each time it resumes an execution stuck in a call, the server fails it at the fourth start")
    func serverFailsAnExecutionItCrashesOn() async throws {
        let outcome = try await stopWhileResumed(by: SIGILL, rounds: 8)
        #expect(outcome.state == "FAILED")
        #expect(outcome.error.contains("the server crashed each of the last 3 times"))
        #expect(outcome.stops == 4)
        #expect(outcome.calls == 4)
    }

    @Test("killed each time it resumes an execution, the server resumes it again every time")
    func killsDoNotFailAnExecution() async throws {
        let outcome = try await stopWhileResumed(by: SIGKILL, rounds: 5)
        #expect(outcome.state == "ACTIVE")
        #expect(outcome.stops == 5)
    }
}
