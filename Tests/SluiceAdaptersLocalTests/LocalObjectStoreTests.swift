import Foundation
import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import Synchronization
import Testing

@Suite struct LocalObjectStoreTests {
    @Test func aWriteReturnsTheDigestSizeAndChecksumsCloudStoragePrints() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let blob = try await store.write(Array("hello".utf8))
        #expect(blob.digest.hex == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(blob.size == 5)
        #expect(blob.md5Base64 == "XUFAKrxLKna5cZ2REBfFkg==")
        #expect(blob.crc32cBase64 == "mnG7TA==")
    }

    @Test func contentUpToTheInlineLimitComesBackInlineAndWritesNoFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 5)
        let blob = try await store.write(Array("hello".utf8))
        #expect(blob.inline == InlineBytes(Array("hello".utf8)))
        #expect(blob.digest.hex == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(blob.crc32cBase64 == "mnG7TA==")
        #expect(directory.allFiles().isEmpty)
    }

    @Test func contentOverTheInlineLimitIsWrittenToAFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 4)
        let blob = try await store.write(Array("hello".utf8))
        #expect(blob.inline == nil)
        #expect(directory.allFiles() == ["objects/2c/f2/" + blob.digest.hex])
    }

    @Test func chunkedWritesAreNeverInlined() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 1_024)
        let blob = try await store.write(
            chunks: AsyncThrowingStream<[UInt8], any Error> { continuation in
                continuation.yield([1, 2])
                continuation.finish()
            })
        #expect(blob.inline == nil)
        #expect(try await store.read(blob.digest, range: nil) == [1, 2])
    }

    @Test func bytesAreStoredUnderTheirDigestWithTwoFanOutLevels() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let blob = try await store.write(Array("hello".utf8))
        #expect(directory.allFiles() == ["objects/2c/f2/" + blob.digest.hex])
        #expect(try await store.read(blob.digest, range: nil) == Array("hello".utf8))
    }

    @Test func writingTheSameBytesTwiceStoresThemOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let first = try await store.write([1, 2, 3])
        let second = try await store.write([1, 2, 3])
        #expect(first == second)
        #expect(directory.allFiles().count == 1)
    }

    @Test(arguments: [(Int64(0), Int64(3)), (2, 5), (4, 4), (0, 10)])
    func byteRangesReadExactlyThoseBytes(_ lower: Int64, _ upper: Int64) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let bytes: [UInt8] = Array(0..<10)
        let blob = try await store.write(bytes)
        #expect(try await store.read(blob.digest, range: lower..<upper) == Array(bytes[Int(lower)..<Int(upper)]))
    }

    @Test func aRangePastTheEndIsRejected() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let blob = try await store.write([1, 2, 3])
        await #expect(throws: SluiceError(.invalidArgument, "")) { try await store.read(blob.digest, range: 2..<4) }
    }

    @Test func readingUnknownContentIsNotFound() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let missing = try ContentDigest(hex: String(repeating: "0", count: 64))
        await #expect(throws: SluiceError(.notFound, "")) { try await store.read(missing, range: nil) }
        #expect(try await store.contains(missing) == false)
    }

    @Test func aSweepRemovesOldOrphansAndKeepsReferencedAndRecentContent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = Mutex(Date().timeIntervalSince1970)
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0, now: { clock.withLock { $0 } })
        let referenced = try await store.write(Array("kept".utf8))
        let orphan = try await store.write(Array("orphan".utf8))
        let recent = try await store.sweep(keeping: [referenced.digest], minimumAge: .seconds(60))
        #expect(recent.removed.isEmpty, "content younger than the minimum age may not have its event yet")
        clock.withLock { $0 += 120 }
        let report = try await store.sweep(keeping: [referenced.digest], minimumAge: .seconds(60))
        #expect(report.removed == [orphan.digest])
        #expect(report.kept == 1)
        #expect(try await store.contains(referenced.digest))
        #expect(try await store.contains(orphan.digest) == false)
    }

    @Test func aSweepRemovesAbandonedTemporaryFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = Mutex(Date().timeIntervalSince1970 + 3_600)
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0, now: { clock.withLock { $0 } })
        _ = FileManager.default.createFile(atPath: directory.path + "/tmp/crashed.tmp", contents: Data([1]))
        let report = try await store.sweep(keeping: [], minimumAge: .seconds(60))
        #expect(report.removedTemporaryFiles == 1)
        #expect(directory.allFiles().isEmpty)
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "..", "a/../../b", "%2e%2e/x", "nul\u{0}byte", "C:\\windows"])
    func hostileObjectNamesNeverReachTheFilesystem(_ name: String) async throws {
        // The store's API takes bytes and digests only; an object name cannot be passed to it.
        // This pins that: writing a name's bytes as content lands under the content digest.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let blob = try await store.write(Array(name.utf8))
        #expect(
            directory.allFiles() == [
                "objects/\(blob.digest.hex.prefix(2))/\(blob.digest.hex.dropFirst(2).prefix(2))/\(blob.digest.hex)"
            ])
    }

    @Test func aDigestThatIsNotHexCannotBeFormed() {
        #expect(throws: SluiceError(.invalidArgument, "")) {
            try ContentDigest(hex: "../" + String(repeating: "a", count: 61))
        }
        #expect(throws: SluiceError(.invalidArgument, "")) { try ContentDigest(hex: String(repeating: "A", count: 64)) }
    }

    @Test func aChunkedWriteStoresTheSameContentAsAOneShotWrite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        for start in stride(from: 0, to: bytes.count, by: 7_000) {
            continuation.yield(Array(bytes[start..<min(start + 7_000, bytes.count)]))
        }
        continuation.finish()
        let chunked = try await store.write(chunks: stream)
        let whole = try await store.write(bytes)
        #expect(chunked == whole)
        #expect(try await store.read(chunked.digest, range: nil) == bytes)
        #expect(directory.allFiles().count == 1, "the second write must not leave a temporary file")
    }

    struct UploadInterrupted: Error {}

    @Test func aChunkedWriteThatFailsMidwayLeavesNothingBehind() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        continuation.yield([1, 2, 3])
        continuation.finish(throwing: UploadInterrupted())
        await #expect(throws: SluiceError(.unavailable, "")) { try await store.write(chunks: stream) }
        #expect(directory.allFiles().isEmpty)
    }

    @Test func concurrentWritesOfDifferentContentAllLand() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LocalObjectStore(directory: directory.path, inlineLimit: 0)
        let blobs = try await withThrowingTaskGroup(of: StoredBlob.self) { group in
            for index in 0..<50 {
                group.addTask { try await store.write(Array("object \(index % 25)".utf8)) }
            }
            return try await group.reduce(into: [StoredBlob]()) { $0.append($1) }
        }
        #expect(Set(blobs.map(\.digest)).count == 25)
        #expect(directory.allFiles().count == 25)
    }
}
