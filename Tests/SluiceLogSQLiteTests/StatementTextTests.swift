import Foundation
import Testing

@testable import SluiceLogSQLite

@Suite("Reading text columns")
struct StatementTextTests {
    @Test("NULL reads as nil, an empty value as an empty string, and other values as their text")
    func textColumnsKeepNullEmptyAndContentApart() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let connection = try SQLiteConnection(path: database.path, readOnly: false)
        let select = try connection.statement(
            "SELECT NULL, '', 'h\u{e9}llo \u{1F600}', 42, x'6869', 'a' || char(0) || 'b'")
        defer { select.reset() }
        #expect(try select.step())
        #expect(select.text(0) == nil)
        #expect(select.text(1) == "")
        #expect(select.text(2) == "h\u{e9}llo \u{1F600}")
        #expect(select.text(3) == "42")
        #expect(select.text(4) == "hi")
        #expect(select.text(5) == "a\u{0}b")
    }

    @Test("Text stored in a table reads back whole, however long")
    func storedTextReadsBackWhole() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let connection = try SQLiteConnection(path: database.path, readOnly: false)
        try connection.execute("CREATE TABLE notes (body TEXT)")
        let long = String(repeating: "{\"pixel\":12}", count: 2_000)
        let insert = try connection.statement("INSERT INTO notes (body) VALUES (?), (?), (NULL)")
        insert.bind(long, at: 1)
        insert.bind("", at: 2)
        try insert.step()
        insert.reset()
        let select = try connection.statement("SELECT body FROM notes ORDER BY rowid")
        defer { select.reset() }
        var bodies: [String?] = []
        while try select.step() { bodies.append(select.text(0)) }
        #expect(bodies == [long, "", nil])
    }
}
