import Synchronization
import Testing

@testable import SluiceResources

@Suite("Decoded payloads are remembered by type and exact text")
struct DecodedPayloadsTests {
    /// Counts how often `decode` runs.
    final class Decodes: Sendable {
        let count = Atomic<Int>(0)

        func decode(_ text: String) -> Int {
            count.add(1, ordering: .relaxed)
            return text.count
        }
    }

    @Test("the same text of the same type is decoded once")
    func sameTextDecodesOnce() {
        let memo = DecodedPayloads(capacity: 8)
        let decodes = Decodes()
        for _ in 0..<3 {
            #expect(memo.payload(Int.self, text: "{\"a\":1}") { decodes.decode("{\"a\":1}") } == 7)
        }
        #expect(decodes.count.load(ordering: .relaxed) == 1)
    }

    @Test("another type or another text is decoded on its own")
    func otherTypesAndTextsDecodeSeparately() {
        let memo = DecodedPayloads(capacity: 8)
        #expect(memo.payload(Int.self, text: "{}") { 1 } == 1)
        #expect(memo.payload(String.self, text: "{}") { "s" } == "s")
        #expect(memo.payload(Int.self, text: "{ }") { 2 } == 2)
        #expect(memo.payload(Int.self, text: "{}") { 3 } == 1)
        #expect(memo.count == 3)
    }

    @Test("a failed decode is not remembered")
    func failuresAreNotRemembered() throws {
        struct Broken: Error {}
        let memo = DecodedPayloads(capacity: 8)
        #expect(throws: Broken.self) {
            try memo.payload(Int.self, text: "x") { () throws(Broken) -> Int in throw Broken() }
        }
        #expect(memo.count == 0)
        #expect(memo.payload(Int.self, text: "x") { 5 } == 5)
    }

    @Test("texts over the size limit are neither decoded once nor remembered")
    func largeTextsAreNotRemembered() {
        let memo = DecodedPayloads(capacity: 2)
        let large = String(repeating: "a", count: DecodedPayloads.largestText + 1)
        #expect(memo.payload(Int.self, text: large) { 1 } == 1)
        #expect(memo.payload(Int.self, text: large) { 2 } == 2)
        memo.remember(3, text: large)
        #expect(memo.count == 0)
    }

    @Test("a text stays remembered for a full generation after it, and is forgotten after two")
    func fullGenerationsAge() {
        let memo = DecodedPayloads(capacity: 2)
        _ = memo.payload(Int.self, text: "1") { 1 }
        _ = memo.payload(Int.self, text: "2") { 2 }
        _ = memo.payload(Int.self, text: "3") { 3 }
        _ = memo.payload(Int.self, text: "4") { 4 }
        #expect(memo.payload(Int.self, text: "1") { 0 } == 1)
        _ = memo.payload(Int.self, text: "5") { 5 }
        #expect(memo.count == 3)
        #expect(memo.payload(Int.self, text: "2") { 0 } == 0)
    }

    @Test("a payload remembered at encoding is returned without decoding its text")
    func rememberedPayloadsAreNotDecoded() {
        let memo = DecodedPayloads(capacity: 8)
        let decodes = Decodes()
        memo.remember(7, text: "{\"a\":1}")
        #expect(memo.payload(Int.self, text: "{\"a\":1}") { decodes.decode("{\"a\":1}") } == 7)
        #expect(memo.payload(String.self, text: "{\"a\":1}") { "decoded" } == "decoded")
        #expect(decodes.count.load(ordering: .relaxed) == 0)
    }
}
