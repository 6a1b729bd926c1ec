import Foundation
import SluiceAdapters
import SluiceAdaptersLocal
import SluiceCore
import Testing

@Suite("Object bytes are stored content-addressed, durably, and only by digest")
struct LocalObjectStoreTests {
    private func store() throws -> LocalObjectStore {
        try LocalObjectStore(
            root: FileManager.default.temporaryDirectory.appendingPathComponent("sluice-objects-\(UUID())").path)
    }

    @Test("CRC32C matches the Castagnoli check value")
    func crc32cCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test("stored bytes read back, with the checksums GCS would report")
    func storeAndReadBack() async throws {
        let objects = try store()
        let content = try await objects.store(Array("123456789".utf8))
        #expect(content.size == 9)
        #expect(content.crc32cBase64 == Data([0xE3, 0x06, 0x92, 0x83]).base64EncodedString())
        #expect(content.md5Base64 == "JfnnlDI7RTiF9RgfG2JNCw==")
        #expect(content.digest == "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225")
        #expect(try await objects.read(content.digest, range: nil) == Array("123456789".utf8))
        #expect(try await objects.read(content.digest, range: 2..<5) == Array("345".utf8))
        let empty = try await objects.store([])
        #expect(empty.md5Base64 == "1B2M2Y8AsgTpgAmY7PhCfg==")
        #expect(empty.crc32cBase64 == "AAAAAA==")
    }

    @Test("a range outside the content and an unknown digest are clear errors")
    func badReads() async throws {
        let objects = try store()
        let content = try await objects.store([1, 2, 3])
        await #expect(throws: SluiceError.self) { try await objects.read(content.digest, range: 2..<9) }
        let unknown = String(repeating: "a", count: 64)
        do {
            _ = try await objects.read(unknown, range: nil)
            Issue.record("an unknown digest was read")
        } catch {
            #expect(error.code == .notFound)
        }
    }

    @Test(
        "anything that is not a digest is refused before the filesystem is touched",
        arguments: [
            "../../etc/passwd", "/etc/passwd", "ab/../../x", String(repeating: "A", count: 64), "",
        ])
    func hostileDigestsAreRefused(_ digest: String) async throws {
        let objects = try store()
        do {
            _ = try await objects.read(digest, range: nil)
            Issue.record("\(digest) was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test("a sweep removes contents nothing references and keeps the rest")
    func sweepRemovesOrphans() async throws {
        let objects = try store()
        let kept = try await objects.store(Array("kept".utf8))
        let orphan = try await objects.store(Array("orphan".utf8))
        #expect(try await objects.sweep(keeping: [kept.digest]) == 1)
        #expect(try await objects.read(kept.digest, range: nil) == Array("kept".utf8))
        await #expect(throws: SluiceError.self) { try await objects.read(orphan.digest, range: nil) }
    }
}
