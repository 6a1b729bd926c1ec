import Foundation
import Hummingbird
import SluiceTesting
import Testing

/// One execution that the server never survives resuming must not keep the server down: after
/// as many such starts in a row as the limit, the next start fails the execution and serves.
@Suite("A server killed every time it resumes an execution fails that execution and starts", .serialized)
struct CrashLoopTests {
    static let workflows = "/v1/projects/p/locations/l/workflows"

    /// Calls the slow endpoint has received.
    actor Calls {
        var count = 0
        func add() { count += 1 }
    }

    @Test("killed each time it resumes an execution stuck in a call, the server fails it at the fourth start")
    func serverFailsAnExecutionItNeverSurvives() async throws {
        let calls = Calls()
        let router = Router()
        router.get("/slow") { _, _ -> String in
            await calls.add()
            try await Task.sleep(for: .seconds(120))
            return "late"
        }
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
            var kills = 0
            for round in 0..<8 {
                // Every start resumes the execution, which calls the endpoint again: kill the
                // server while that call is in flight, unless the start failed the execution.
                for _ in 0..<500 {
                    state = try await server.request("GET", "/v1/" + name)["state"] as? String ?? ""
                    let called = await calls.count
                    if state != "ACTIVE" || called > round { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                guard state == "ACTIVE" else { break }
                _ = await server.stop(signal: SIGKILL)
                kills += 1
                server = try await ServeProcess(binary: binary, database: database)
            }
            defer { server.terminate(signal: SIGTERM) }
            let execution = try await server.request("GET", "/v1/" + name)
            #expect(execution["state"] as? String == "FAILED")
            let error = execution["error"] as? [String: Any]
            #expect("\(error ?? [:])".contains("the server stopped each of the last 3 times"))
            #expect(kills == 4)
            #expect(await calls.count == 4)
            #expect(try await server.call("GET", "/healthz").status == 200)
        }
    }
}
