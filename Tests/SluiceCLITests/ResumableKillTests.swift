import Foundation
import Testing

/// The durability bar for resumable uploads: every chunk the server answered 308 for is still
/// there after a SIGKILL, so the client resumes where it was told, and the object it finishes
/// holds exactly the bytes sent.
@Suite("A resumable upload survives the server being killed between chunks", .serialized)
struct ResumableKillTests {
    static let chunk = 256 * 1024

    /// The value of response header `name`, whatever its case.
    static func header(_ headers: [AnyHashable: Any], _ name: String) -> String? {
        headers.first { ($0.key as? String)?.lowercased() == name }?.value as? String
    }

    @Test("each chunk acknowledged before a SIGKILL is reported after the restart, and the upload completes")
    func chunksOutliveKills() async throws {
        let binary = try SluiceBinary.locate()
        let database = try ServeProcess.temporaryDatabase()
        var server = try await ServeProcess(binary: binary, database: database)
        _ = try await server.request("POST", "/storage/v1/b", body: #"{"name": "uploads"}"#)
        let started = try await server.exchange(
            "POST", "/upload/storage/v1/b/uploads/o?uploadType=resumable",
            headers: ["Content-Type": "application/json"], body: Data(#"{"name": "model.bin"}"#.utf8))
        let location = try #require(Self.header(started.headers, "location"))
        let session = try #require(URLComponents(string: location)).percentEncodedQuery ?? ""
        let path = "/upload/storage/v1/b/uploads/o?" + session

        let content = (0..<(4 * Self.chunk)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        for index in 0..<3 {
            let range = index * Self.chunk..<(index + 1) * Self.chunk
            let sent = try await server.exchange(
                "PUT", path, headers: ["Content-Range": "bytes \(range.lowerBound)-\(range.upperBound - 1)/*"],
                body: Data(content[range]))
            #expect(sent.status == 308)
            _ = await server.stop(signal: SIGKILL)
            server = try await ServeProcess(binary: binary, database: database)
            let status = try await server.exchange("PUT", path, headers: ["Content-Range": "bytes */*"])
            #expect(status.status == 308)
            #expect(Self.header(status.headers, "range") == "bytes=0-\(range.upperBound - 1)")
        }
        defer { server.terminate(signal: SIGTERM) }
        let last = 3 * Self.chunk..<content.count
        let finished = try await server.exchange(
            "PUT", path, headers: ["Content-Range": "bytes \(last.lowerBound)-\(last.upperBound - 1)/\(content.count)"],
            body: Data(content[last]))
        #expect(finished.status == 200)
        let stored = try await server.exchange("GET", "/storage/v1/b/uploads/o/model.bin?alt=media")
        #expect(stored.body == Data(content))
    }
}
