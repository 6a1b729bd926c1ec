import Testing

@testable import SluiceLogSQLite

@Suite("The tier marks tell which recent table is older and which takes appends")
struct TierMarksTests {
    @Test("an empty recent tier appends to the first table and counts the whole log as settled")
    func emptyRecentTier() {
        let marks = TierMarks(aFirst: nil, bFirst: nil, head: 70)
        #expect(marks.appending == .a)
        #expect(marks.appendingFrom == 71)
        #expect(marks.settled == 70)
        #expect(marks.occupied == [.a])
    }

    @Test("the table whose events start later is the newer one and takes appends")
    func laterTableTakesAppends() {
        let marks = TierMarks(aFirst: 101, bFirst: 41, head: 120)
        #expect(marks.recent == [.b, .a])
        #expect(marks.appending == .a)
        #expect(marks.appendingFrom == 101)
        #expect(marks.settled == 40)
        #expect(marks.occupied == [.b, .a])
    }

    @Test("with one table empty, the other takes appends and reads skip the empty one")
    func emptyOlderTableIsSkipped() {
        let marks = TierMarks(aFirst: nil, bFirst: 41, head: 60)
        #expect(marks.appending == .b)
        #expect(marks.settled == 40)
        #expect(marks.occupied == [.b])
    }

    @Test("turning makes the table that took appends the older one, and both are read until it is settled")
    func turningKeepsBothTablesRead() {
        var marks = TierMarks(aFirst: 1, bFirst: nil, head: 40)
        marks.turn(head: 40)
        #expect(marks.appending == .b)
        #expect(marks.appendingFrom == 41)
        #expect(marks.recent == [.a, .b])
        #expect(marks.occupied == [.a, .b])
        marks.settled = 40
        #expect(marks.occupied == [.b])
    }

    @Test("a round holds on only while the marks show its table older and holding exactly its positions")
    func roundHoldsTheOlderTable() {
        let round = SettleRound(table: .a, first: 1, end: 40, order: Array(1...40))
        #expect(round.holdsTheOlderTable(of: TierMarks(aFirst: 1, bFirst: 41, head: 45)))
        // Nothing appended to the second table yet: the first holds the head, so appends go there.
        #expect(!round.holdsTheOlderTable(of: TierMarks(aFirst: 1, bFirst: nil, head: 40)))
        // Another writer emptied the table.
        #expect(!round.holdsTheOlderTable(of: TierMarks(aFirst: nil, bFirst: 41, head: 45)))
    }
}
