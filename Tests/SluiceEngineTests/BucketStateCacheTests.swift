import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceLog
import SluiceResources
import Testing

@Suite("An upload decides on its bucket's current state, even when another writer changed the bucket")
struct BucketStateCacheTests {
    @Test("versioning turned on elsewhere keeps the overwritten generation of the next upload")
    func versioningTurnedOnElsewhereIsApplied() async throws {
        let (first, second) = try await TwoStorageWriters.make()
        let original = try await first.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        try await second.setVersioning(true, bucket: "uploads")
        try await first.upload(bucket: "uploads", object: "cat.png", bytes: [2])
        let kept = try await first.object(bucket: "uploads", object: "cat.png", generation: original.generation)
        #expect(kept.generation == original.generation)
    }

    @Test("a bucket deleted elsewhere refuses the next upload with NOT_FOUND")
    func bucketDeletedElsewhereRefusesUploads() async throws {
        let (first, second) = try await TwoStorageWriters.make()
        try await first.upload(bucket: "uploads", object: "cat.png", bytes: [1])
        try await second.deleteObject(bucket: "uploads", object: "cat.png")
        try await second.deleteBucket("uploads")
        let error = await #expect(throws: SluiceError.self) {
            try await first.upload(bucket: "uploads", object: "dog.png", bytes: [1])
        }
        #expect(error?.code == .notFound)
    }
}
