import Foundation
import Testing

/// HTTP/1.1 as a careless or hostile client writes it: requests that stall, bodies that break the
/// framing. The server answers or closes, and keeps serving.
@Suite("sluice serve closes stalled connections and answers broken framing with Google errors")
struct ServeRawHTTPTests {
    @Test("a connection that stops partway through its request head is closed after the idle timeout")
    func aStalledRequestHeadIsClosed() async throws {
        let binary = try SluiceBinary.locate()
        let server = try await ServeProcess(
            binary: binary, database: try ServeProcess.temporaryDatabase(),
            arguments: ["--stack", "none", "--idle-timeout-seconds", "1"])
        defer { server.terminate(signal: SIGTERM) }
        let connection = try #require(RawConnection(port: server.port))
        connection.send("GET /healthz HTTP/1.1\r\n")
        let started = ContinuousClock.now
        let answer = await OffPool.run { connection.receiveAll(seconds: 10) }
        let waited = ContinuousClock.now - started
        #expect(answer.isEmpty, "\(answer.prefix(200))")
        #expect(waited < .seconds(8), "the server closed the connection after \(waited), not at its 1 s timeout")
        let healthy = try #require(RawConnection(port: server.port))
        healthy.send("GET /healthz HTTP/1.1\r\nHost: sluice\r\nConnection: close\r\n\r\n")
        #expect(await OffPool.run { healthy.receiveAll() }.hasPrefix("HTTP/1.1 200"))
    }

    @Test(
        "a chunked body whose chunk size is not a number is INVALID_ARGUMENT, not an internal error",
        arguments: ["/v1/projects/p/topics/t:publish", "/upload/storage/v1/b/uploads/o?uploadType=media&name=x"])
    func aBrokenChunkSizeIsInvalidArgument(_ path: String) async throws {
        let binary = try SluiceBinary.locate()
        let server = try await ServeProcess(
            binary: binary, database: try ServeProcess.temporaryDatabase(), arguments: ["--stack", "none"])
        defer { server.terminate(signal: SIGTERM) }
        let connection = try #require(RawConnection(port: server.port))
        connection.send(
            "POST \(path) HTTP/1.1\r\nHost: sluice\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n")
        let answer = await OffPool.run { connection.receiveAll(seconds: 10) }
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(300))")
        #expect(answer.contains(#""status":"INVALID_ARGUMENT""#), "\(answer.prefix(300))")
    }
}
