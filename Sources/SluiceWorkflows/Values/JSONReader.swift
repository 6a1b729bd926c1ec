import OrderedCollections

/// Parses JSON text into values, keeping key order and int-ness, with a nesting limit instead of a stack overflow.
public struct JSONReader: Sendable {
    /// The deepest nesting of lists and maps accepted.
    public static let maximumDepth = 256

    private let bytes: [UInt8]
    private var position = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a complete JSON document; throws ValueError on bad input.
    public static func parse(_ text: String) throws(WorkflowError) -> WorkflowValue {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses a complete JSON document from UTF-8 bytes; throws ValueError on bad input.
    public static func parse(bytes: [UInt8]) throws(WorkflowError) -> WorkflowValue {
        var reader = JSONReader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.readValue(depth: 0)
        reader.skipSpace()
        guard reader.position == reader.bytes.count else { throw reader.failure("unexpected trailing characters") }
        return value
    }

    private func failure(_ what: String) -> WorkflowError {
        .valueError("invalid JSON at offset \(position): \(what)")
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func readValue(depth: Int) throws(WorkflowError) -> WorkflowValue {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
        guard position < bytes.count else { throw failure("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readMap(depth: depth)
        case UInt8(ascii: "["): return try readList(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        default: return try readNumber()
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(WorkflowError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("unexpected character") }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] {
            throw failure("unexpected character")
        }
        position += count
    }

    private mutating func readMap(depth: Int) throws(WorkflowError) -> WorkflowValue {
        position += 1
        var map = OrderedDictionary<String, WorkflowValue>()
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .map(map)
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try readString()
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            position += 1
            skipSpace()
            map[key] = try readValue(depth: depth + 1)
            skipSpace()
            guard position < bytes.count else { throw failure("unexpected end") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
            position += 1
            return .map(map)
        }
    }

    private mutating func readList(depth: Int) throws(WorkflowError) -> WorkflowValue {
        position += 1
        var items: [WorkflowValue] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .list(items)
        }
        while true {
            skipSpace()
            items.append(try readValue(depth: depth + 1))
            skipSpace()
            guard position < bytes.count else { throw failure("unexpected end") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
            position += 1
            return .list(items)
        }
    }

    private mutating func readString() throws(WorkflowError) -> String {
        position += 1
        var start = position
        var raw: [UInt8] = []
        var escaped = false
        var ascii = true
        while true {
            guard position < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if !escaped {
                    // Most strings have no escape: read their bytes in place, no copy.
                    defer { position += 1 }
                    guard let text = text(start..<position, isASCII: ascii) else { throw failure("invalid UTF-8") }
                    return text
                }
                raw.append(contentsOf: bytes[start..<position])
                position += 1
                break
            }
            if byte < 0x20 { throw failure("control character in string") }
            if byte >= 0x80 { ascii = false }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            escaped = true
            raw.append(contentsOf: bytes[start..<position])
            position += 1
            guard position < bytes.count else { throw failure("unterminated escape") }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "\""): raw.append(0x22)
            case UInt8(ascii: "\\"): raw.append(0x5C)
            case UInt8(ascii: "/"): raw.append(0x2F)
            case UInt8(ascii: "b"): raw.append(0x08)
            case UInt8(ascii: "f"): raw.append(0x0C)
            case UInt8(ascii: "n"): raw.append(0x0A)
            case UInt8(ascii: "r"): raw.append(0x0D)
            case UInt8(ascii: "t"): raw.append(0x09)
            case UInt8(ascii: "u"):
                var code = try readHex4()
                if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count, bytes[position] == 0x5C,
                    bytes[position + 1] == UInt8(ascii: "u")
                {
                    position += 2
                    let low = try readHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("bad surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw failure("bad unicode escape") }
                raw.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw failure("bad escape")
            }
            start = position
        }
        guard let text = String(validating: raw, as: UTF8.self) else { throw failure("invalid UTF-8") }
        return text
    }

    /// The string the bytes in `range` spell, nil when they are not UTF-8. ASCII needs no
    /// validation, and is decoded without the generic validating path (seen at 1% of the
    /// pipeline benchmark's CPU).
    private func text(_ range: Range<Int>, isASCII: Bool) -> String? {
        bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            return isASCII ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
        }
    }

    private mutating func readHex4() throws(WorkflowError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("short unicode escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw failure("bad hex digit")
            }
            code = code * 16 + digit
        }
        return code
    }

    /// Reads a number as RFC 8259 spells one: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    /// Anything else (`-.5`, `01`, `1.`, `1.e5`) is an error, not a guess.
    private mutating func readNumber() throws(WorkflowError) -> WorkflowValue {
        let start = position
        skip(UInt8(ascii: "-"))
        guard let first = peekDigit() else { throw failure("a number needs a digit after its sign") }
        if first == 0 {
            position += 1
            if peekDigit() != nil { throw failure("a number cannot start with 0 followed by digits") }
        } else {
            skipDigits()
        }
        var isDouble = false
        if skip(UInt8(ascii: ".")) {
            isDouble = true
            guard skipDigits() else { throw failure("a number needs digits after its decimal point") }
        }
        if skip(UInt8(ascii: "e")) || skip(UInt8(ascii: "E")) {
            isDouble = true
            if !skip(UInt8(ascii: "+")) { skip(UInt8(ascii: "-")) }
            guard skipDigits() else { throw failure("a number needs digits in its exponent") }
        }
        if !isDouble, let int = Self.integer(bytes[start..<position]) { return .int(int) }
        // Only ASCII digits, signs, dots and exponents were taken, so the bytes are valid UTF-8.
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let double = Double(text) else { throw failure("bad number \(text)") }
        // `Double` reads a number past its range (1e400) as infinity, which JSON cannot write
        // back (it became null): a number a double cannot hold is a ValueError, not a guess.
        guard double.isFinite else { throw failure("number \(text) is out of range for a double") }
        return .double(double)
    }

    /// The value of the digit at the read position, nil when there is none.
    private func peekDigit() -> UInt8? {
        guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { return nil }
        return bytes[position] - 0x30
    }

    /// Skips a run of digits and returns whether there was at least one.
    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = position
        while peekDigit() != nil { position += 1 }
        return position > start
    }

    /// Skips `byte` when it is next and returns whether it was.
    @discardableResult
    private mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// The integer an optional minus and ASCII digits spell, nil when it is empty or leaves Int64
    /// (it is then read as a double). Numbers are most of what a prediction request holds, and
    /// this skips making a String of each.
    private static func integer(_ digits: ArraySlice<UInt8>) -> Int64? {
        var index = digits.startIndex
        let negative = index < digits.endIndex && digits[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < digits.endIndex else { return nil }
        var value: Int64 = 0
        while index < digits.endIndex {
            let digit = Int64(digits[index] &- 0x30)
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowedAgain) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowed, !overflowedAgain else { return nil }
            value = next
            index += 1
        }
        return value
    }
}
