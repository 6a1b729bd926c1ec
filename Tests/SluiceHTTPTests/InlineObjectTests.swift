import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceLog
import SluiceResources
import SluiceTesting
import Testing

@Suite("Small objects live in their finalize event, large ones in the object store")
struct InlineObjectTests {
    private static func storage(inlineLimit: Int) throws -> (StorageService, MemoryEventLog, String) {
        let log = MemoryEventLog()
        let directory = ScratchSpace.url("sluice-inline-\(UUID())").path
        return (
            StorageService(log: log, objects: try LocalObjectStore(directory: directory, inlineLimit: inlineLimit)),
            log, directory
        )
    }

    private static func storedFiles(_ directory: String) -> [String] {
        (FileManager.default.enumerator(atPath: directory + "/objects")?.allObjects as? [String] ?? [])
            .filter { $0.count > 60 }
    }

    @Test("a small upload's bytes are in its finalize event, read back from it, and no file is written")
    func smallUploadIsInline() async throws {
        let (storage, log, directory) = try Self.storage(inlineLimit: 64)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await storage.createBucket("uploads")
        let object = try await storage.upload(bucket: "uploads", object: "a.txt", bytes: Array("hello".utf8))
        let finalized = try await log.query(EventQuery(types: ["object.finalized"], limit: 10)).events
        #expect(finalized.count == 1)
        #expect(finalized.first.map { $0.data }?.contains("aGVsbG8=") == true)
        #expect(Self.storedFiles(directory).isEmpty)
        let reread = try await storage.object(bucket: "uploads", object: "a.txt")
        #expect(try await storage.content(of: reread) == Array("hello".utf8))
        #expect(try await storage.content(of: object, range: 1..<3) == Array("el".utf8))
        await #expect(throws: SluiceError(.invalidArgument, "")) { try await storage.content(of: object, range: 3..<9) }
    }

    @Test("an upload over the inline limit is stored as a file and its event names only the digest")
    func largeUploadIsAFile() async throws {
        let (storage, log, directory) = try Self.storage(inlineLimit: 4)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await storage.createBucket("uploads")
        let object = try await storage.upload(bucket: "uploads", object: "a.txt", bytes: Array("hello".utf8))
        let finalized = try await log.query(EventQuery(types: ["object.finalized"], limit: 10)).events
        #expect(finalized.first.map { $0.data }?.contains("aGVsbG8=") == false)
        #expect(Self.storedFiles(directory) == ["2c/f2/" + object.digest.hex])
        #expect(try await storage.content(of: object) == Array("hello".utf8))
    }

    @Test("the JSON API resource and notification payload of an inline object never carry its bytes")
    func resourceJSONHasNoInlineBytes() async throws {
        let (storage, _, directory) = try Self.storage(inlineLimit: 64)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await storage.createBucket("uploads")
        let object = try await storage.upload(bucket: "uploads", object: "a.txt", bytes: Array("hello".utf8))
        let json = String(decoding: NotificationPlanner.resourceJSON(object), as: UTF8.self)
        #expect(!json.contains("aGVsbG8="))
        #expect(!json.contains("inline"))
    }
}
