import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceLog
import SluiceResources
import SluiceTesting
import Testing

@Suite("An upload overwrites a name another writer stored as it would its own")
struct ObjectOverwriteTests {
    @Test("in an unversioned bucket the new generation replaces the one stored elsewhere")
    func overwriteReplacesInAnUnversionedBucket() async throws {
        let (first, second) = try await TwoStorageWriters.make(versioned: false)
        let original = try await first.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        let replacement = try await second.upload(bucket: "uploads", object: "cat.png", bytes: [2, 2])
        #expect(replacement.generation > original.generation)
        let live = try await first.object(bucket: "uploads", object: "cat.png")
        #expect(live.generation == replacement.generation)
        #expect(live.size == 2)
        await #expect(throws: SluiceError.self) {
            try await first.object(bucket: "uploads", object: "cat.png", generation: original.generation)
        }
    }

    @Test("in a versioned bucket the generation stored elsewhere is kept as noncurrent")
    func overwriteKeepsTheOldGenerationInAVersionedBucket() async throws {
        let (first, second) = try await TwoStorageWriters.make(versioned: true)
        let original = try await first.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        try await second.upload(bucket: "uploads", object: "cat.png", bytes: [2, 2])
        let kept = try await second.object(bucket: "uploads", object: "cat.png", generation: original.generation)
        #expect(kept.size == 1)
    }

    @Test("ifGenerationMatch 0 refuses a name stored elsewhere with FAILED_PRECONDITION")
    func createOnlyRefusesANameStoredElsewhere() async throws {
        let (first, second) = try await TwoStorageWriters.make(versioned: false)
        try await first.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        let error = await #expect(throws: SluiceError.self) {
            try await second.upload(
                bucket: "uploads", object: "cat.png", bytes: [2],
                preconditions: ObjectPreconditions(ifGenerationMatch: 0))
        }
        #expect(error?.code == .failedPrecondition)
    }

    @Test("an upload of a name nobody stored appends without reading the object's stream")
    func aNewNameIsNotRead() async throws {
        let log = ReadCountingLog(MemoryEventLog())
        let storage = StorageService(
            log: log, objects: try LocalObjectStore(directory: ScratchSpace.url("sluice-new-name-\(UUID())").path))
        try await storage.createBucket("uploads")
        try await storage.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        let stream = try ResourceStreams.object(try BucketName("uploads"), try ObjectName("cat.png"))
        #expect(log.streamReads(of: stream) == 0)
        #expect(try await storage.object(bucket: "uploads", object: "cat.png").size == 1)
    }
}

/// Two storage services on one log, as two processes on one database would be: what one stored or
/// changed, the other has not seen.
enum TwoStorageWriters {
    static func make(versioned: Bool = false) async throws -> (first: StorageService, second: StorageService) {
        let log = MemoryEventLog()
        let objects = try LocalObjectStore(
            directory: ScratchSpace.url("sluice-two-writers-\(UUID())")
                .path)
        let first = StorageService(log: log, objects: objects)
        try await first.createBucket("uploads", versioningEnabled: versioned)
        return (first, StorageService(log: log, objects: objects))
    }
}
