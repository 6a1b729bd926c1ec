import Foundation
import Hummingbird
import SluiceTesting
import Testing

/// One execution that the server never survives resuming must not keep the server down: after
/// as many crashes in a row as the limit, the next start fails the execution and serves. Kills,
/// and fatal signals other processes send, are not crashes: an execution the server was killed on
/// any number of times runs on. The crashes here are real traps of the server's own code, which
/// `SLUICE_FAILPOINT_TRAP_ON_HTTP` makes the workflow's HTTP call raise.
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

    static let failpoint = "SLUICE_FAILPOINT_TRAP_ON_HTTP"

    /// `serve` on `database` whose HTTP calls to `trapping` trap, with or without Swift's
    /// backtracer; nil when it crashed before it printed its port.
    static func crashingServer(_ binary: SluiceBinary, _ database: String, trapping: String, backtrace: Bool = false)
        async -> ServeProcess?
    {
        var environment = [failpoint: trapping]
        if !backtrace { environment["SWIFT_BACKTRACE"] = "enable=no" }
        return try? await ServeProcess(
            binary: binary, serveArguments: ["--db", database, "--port", "0", "--stack", "none"],
            environment: environment)
    }

    /// Waits up to 30 s for `server` to crash (true) or for execution `name` to leave ACTIVE
    /// (false, the server still up).
    static func crashes(_ server: ServeProcess, before name: String) async throws -> Bool {
        for _ in 0..<1_500 {
            if !server.process.isRunning { return true }
            let state = try? await server.request("GET", "/v1/" + name)["state"] as? String
            if let state, state != "ACTIVE" { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return !server.process.isRunning
    }

    @Test("trapping each time it resumes an execution, the server fails that execution at the fifth start and serves")
    func serverFailsAnExecutionItCrashesOn() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let url = "http://127.0.0.1:9/trap"
        var server = try #require(await Self.crashingServer(binary, database, trapping: url))
        let workflow = "main:\n  steps:\n    - call:\n        call: http.get\n        args: {url: \"\(url)\"}\n"
        let name = try await server.startWorkflow("trapping", source: workflow)
        var crashes = 0
        while crashes < 8, try await Self.crashes(server, before: name) {
            crashes += 1
            var restarted: ServeProcess?
            while restarted == nil, crashes < 8 {
                restarted = await Self.crashingServer(binary, database, trapping: url)
                if restarted == nil { crashes += 1 }
            }
            server = try #require(restarted)
        }
        defer { server.terminate(signal: SIGTERM) }
        let execution = try await server.request("GET", "/v1/" + name)
        #expect(execution["state"] as? String == "FAILED")
        #expect("\(execution["error"] ?? "")".contains("the server crashed each of the last 3 times"))
        #expect(crashes == 4, "the first run and three resumptions trap; the fifth start fails it")
        #expect(try await server.call("GET", "/healthz").status == 200)
    }

    @Test("killed each time it resumes an execution, the server resumes it again every time")
    func killsDoNotFailAnExecution() async throws {
        let outcome = try await stopWhileResumed(by: SIGKILL, rounds: 5)
        #expect(outcome.state == "ACTIVE")
        #expect(outcome.stops == 5)
    }

    @Test("fatal signals sent by another process are not crashes: the execution is resumed every time")
    func externalFatalSignalsDoNotFailAnExecution() async throws {
        let outcome = try await stopWhileResumed(by: SIGSEGV, rounds: 5)
        #expect(outcome.state == "ACTIVE")
        #expect(outcome.stops == 5)
    }

    @Test("after a crash or a fatal signal from outside, nothing holds the server's port", arguments: [true, false])
    func nothingHoldsThePortAfterACrash(trapped: Bool) async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let url = "http://127.0.0.1:9/trap"
        let server = try #require(await Self.crashingServer(binary, database, trapping: url, backtrace: true))
        if trapped {
            _ = try await server.startWorkflow(
                "trapping",
                source: "main:\n  steps:\n    - call:\n        call: http.get\n        args: {url: \"\(url)\"}\n")
        } else {
            kill(server.process.processIdentifier, SIGSEGV)
        }
        #expect(try await server.waitForExit(seconds: 60))
        var free = false
        for _ in 0..<100 where !free {
            free = Self.canListen(on: server.port)
            if !free { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(free, "port \(server.port) is still held after the server ended")
    }

    /// Whether a new socket can listen on 127.0.0.1:`port` (with SO_REUSEADDR, as a restarted
    /// server does): false while any process still listens there.
    static func canListen(on port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound == 0 && listen(descriptor, 1) == 0
    }
}
