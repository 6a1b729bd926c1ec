import Foundation
import Testing

/// The durability bar for callbacks: an execution waiting on `events.await_callback` survives a
/// SIGKILL of the server, and a callback the server answered 200 is never lost.
@Suite("A callback survives the server being killed", .serialized)
struct CallbackKillTests {
    static let workflow = """
        main:
          steps:
            - create:
                call: events.create_callback_endpoint
                result: callback
            - wait:
                call: events.await_callback
                args:
                  callback: ${callback}
                  timeout: 300
                result: request
            - done:
                return: ${request.http_request.body}
        """

    static let workflows = "/v1/projects/p/locations/l/workflows"

    /// The events of `type` in the server's log, as the Sluice API returns them.
    static func events(_ server: ServeProcess, _ type: String) async throws -> [[String: Any]] {
        try await server.request("GET", "/v1/sluice/events?type=\(type)&limit=100")["events"] as? [[String: Any]] ?? []
    }

    @Test("a waiting execution resumes after SIGKILL, and a callback answered 200 just before a SIGKILL is its result")
    func callbackOutlivesKills() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        var server = try await ServeProcess(binary: binary, database: database)
        let source = try JSONSerialization.data(withJSONObject: ["sourceContents": Self.workflow])
        _ = try await server.call(
            "POST", Self.workflows + "?workflowId=approval", body: String(decoding: source, as: UTF8.self))
        let name = try #require(
            try await server.request("POST", Self.workflows + "/approval/executions")["name"] as? String)

        var path: String?
        for _ in 0..<500 where path == nil {
            path = try await Self.events(server, "effect.completed").compactMap { event -> String? in
                let result = (event["data"] as? [String: Any])?["result"] as? [String: Any]
                return (result?["url"] as? String).flatMap { URL(string: $0)?.path }
            }.first
            if path == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let callback = try #require(path)

        _ = await server.stop(signal: SIGKILL)
        server = try await ServeProcess(binary: binary, database: database)
        #expect(try await server.request("GET", "/v1/" + name)["state"] as? String == "ACTIVE")
        let answer = try await server.call("POST", callback, body: "approved")
        #expect(answer.status == 200)
        _ = await server.stop(signal: SIGKILL)

        server = try await ServeProcess(binary: binary, database: database)
        defer { server.terminate(signal: SIGTERM) }
        let finished = try await server.waitForState(name, "SUCCEEDED")
        #expect(finished["state"] as? String == "SUCCEEDED")
        #expect(finished["result"] as? String == #""approved""#)
        #expect(try await Self.events(server, "callback.received").count == 1)
        // A replay-safe effect (creating the endpoint) is recorded by one completed event that
        // carries its request; an outside one (awaiting it) by a request event of its own.
        let requests =
            try await Self.events(server, "effect.requested")
            + Self.events(server, "effect.completed").filter { ($0["data"] as? [String: Any])?["function"] != nil }
        let requested = requests.compactMap { ($0["data"] as? [String: Any])?["effectId"] as? String }
        #expect(requested.count == 2, "create the endpoint, await it: \(requested)")
        #expect(Set(requested).count == requested.count, "no effect is requested again after a restart")
        let created = try await Self.events(server, "effect.completed").filter {
            ((($0["data"] as? [String: Any])?["result"] as? [String: Any])?["url"] as? String) != nil
        }
        #expect(created.count == 1, "the endpoint is created once; its URL outlives the restarts")
    }
}
