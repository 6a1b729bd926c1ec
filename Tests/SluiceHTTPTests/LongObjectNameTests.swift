import Foundation
import SluiceResources
import Testing

@Suite("Object names up to 1024 bytes are valid in every bucket, whatever the bucket name's length")
struct LongObjectNameTests {
    /// A valid dotted bucket name of the longest length Cloud Storage allows, 222 bytes.
    static let longestBucket =
        [String](repeating: String(repeating: "b", count: 63), count: 3).joined(separator: ".")
        + "." + String(repeating: "c", count: 30)

    @Test(
        "a 1024-byte object name uploads, reads back and lists in a bucket with a 222-byte name",
        arguments: [
            String(repeating: "n", count: 1024),
            String(repeating: "%", count: 1024),  // each byte takes three in the object's stream name
            String(repeating: "\u{1}", count: 1024),
            String(repeating: "é", count: 512),
        ])
    func longestNamesFit(_ name: String) async throws {
        #expect(Self.longestBucket.utf8.count == 222)
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket(Self.longestBucket)
        let uploaded = try await fixture.storage.upload(bucket: Self.longestBucket, object: name, bytes: [7])
        let read = try await fixture.storage.object(bucket: Self.longestBucket, object: name)
        #expect(read.generation == uploaded.generation)
        let listed = try await fixture.storage.listObjects(Self.longestBucket, ObjectListing())
        #expect(listed.objects.map(\.name.rawValue) == [name])
    }
}
