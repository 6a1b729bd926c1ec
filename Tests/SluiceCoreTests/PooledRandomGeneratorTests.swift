import Testing

@testable import SluiceCore

@Suite("The pooled random generator hands out the system's randomness without repeating it")
struct PooledRandomGeneratorTests {
    @Test("words drawn across many refills of the pool are all distinct")
    func wordsAcrossRefillsAreDistinct() {
        var generator = PooledRandomGenerator()
        let words = (0..<10_000).map { _ in generator.next() }
        #expect(Set(words).count == words.count)
    }

    @Test("two generators share the pool, so they never hand out the same word")
    func generatorsShareThePool() {
        var first = PooledRandomGenerator()
        var second = PooledRandomGenerator()
        let words = (0..<2_000).flatMap { _ in [first.next(), second.next()] }
        #expect(Set(words).count == words.count)
    }

    @Test("event ids made in one millisecond with it are distinct version 7 UUIDs")
    func eventIDsInOneMillisecondAreDistinct() {
        var generator = PooledRandomGenerator()
        let ids = (0..<5_000).map { _ in EventID(unixMilliseconds: 1_700_000_000_000, using: &generator) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { ($0.high >> 12) & 0xF == 0x7 && $0.low >> 62 == 0b10 })
    }
}
