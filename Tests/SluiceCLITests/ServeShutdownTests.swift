import Foundation
import Testing

/// SIGTERM as a supervisor sends it: stop taking requests, finish the ones in flight, close the log.
@Suite("sluice serve shuts down gracefully on SIGTERM", .serialized)
struct ServeShutdownTests {
    @Test("SIGTERM refuses new connections, lets an in-flight request finish, exits 0 and leaves a log that verifies")
    func inFlightRequestFinishes() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        let server = try await ServeProcess(binary: binary, database: database)
        let body = #"{"sourceContents": "main:\n  steps:\n    - r:\n        return: 1\n"}"#
        let connection = try #require(RawConnection(port: server.port))
        connection.send(
            "POST /v1/projects/p/locations/l/workflows?workflowId=late HTTP/1.1\r\nHost: sluice\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(10))
        // The server cannot tell us it holds a half-read request; give it a moment to read the head.
        try await Task.sleep(for: .milliseconds(300))
        kill(server.process.processIdentifier, SIGTERM)
        var refused = false
        for _ in 0..<100 where !refused {
            refused = RawConnection(port: server.port) == nil
            if !refused { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(refused, "a new connection is refused once shutdown has begun")
        #expect(server.process.isRunning, "the server waits for the request in flight")
        connection.send(String(body.dropFirst(10)))
        let response = connection.receiveAll()
        #expect(response.hasPrefix("HTTP/1.1 200"), "\(response.prefix(200))")
        #expect(try await server.waitForExit(seconds: 10), "the server exits within 10 s")
        #expect(server.process.terminationStatus == 0)
        #expect(await server.printed().contains("event log closed"))
        let verify = try await binary.run(["admin", "verify", "--db", database])
        #expect(verify.status == 0, "\(verify.stdout)")
        let deployed = try await binary.run([
            "events", "query", "--db", database, "--stream", "workflow/late", "--json",
        ])
        #expect(deployed.stdout.contains("workflow.deployed"), "the in-flight request was committed")
    }
}
