/// A JSON document whose objects keep every member as written, for request bodies that carry
/// user-chosen keys (Pub/Sub attributes, Cloud Storage custom metadata).
///
/// `JSONSerialization` and `JSONDecoder` build `[String: ...]` dictionaries, which merge keys
/// that differ only in Unicode normalization (see ``ExactString``); Google keeps them apart.
/// Numbers are read as `Double`. The syntax is RFC 8259's, strictly.
package indirect enum ExactJSON: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A finite number.
    case number(Double)
    /// A string, its bytes as written (escapes resolved, nothing normalized).
    case string(String)
    /// An array.
    case array([ExactJSON])
    /// Members in the order written, duplicates included.
    case object([(key: String, value: ExactJSON)])

    /// The deepest nesting accepted.
    package static let maximumDepth = 128

    /// Why a text is not JSON, and where.
    package struct SyntaxError: Error, Sendable, CustomStringConvertible {
        /// The byte offset of the problem.
        package var offset: Int
        /// What is wrong there.
        package var reason: String
        package var description: String { "invalid JSON at offset \(offset): \(reason)" }
    }

    /// Parses one JSON value surrounded by optional white space.
    package static func parse(_ bytes: some Collection<UInt8>) throws(SyntaxError) -> ExactJSON {
        var reader = Reader(bytes: Array(bytes))
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.position == reader.bytes.count else { throw reader.failure("trailing characters") }
        return value
    }

    /// The value of the last member named with exactly these bytes, when this is an object.
    package subscript(key: String) -> ExactJSON? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key.isByteEqual(to: key) }?.value
    }

    /// The text, when this is a string.
    package var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements, when this is an array.
    package var array: [ExactJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// Whether this is `null`.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The members as a string map (a later duplicate key wins), when this is an object of strings.
    package var stringMap: ExactStringMap? {
        guard case .object(let members) = self else { return nil }
        var map = ExactStringMap()
        for (key, value) in members {
            guard case .string(let text) = value else { return nil }
            map[key] = text
        }
        return map
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        func failure(_ reason: String) -> SyntaxError { SyntaxError(offset: position, reason: reason) }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> ExactJSON {
            guard depth < ExactJSON.maximumDepth else { throw failure("nested too deeply") }
            switch current {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try word("true"); return .bool(true)
            case UInt8(ascii: "f"): try word("false"); return .bool(false)
            case UInt8(ascii: "n"): try word("null"); return .null
            case nil: throw failure("unexpected end")
            default: return .number(try number())
            }
        }

        mutating func word(_ word: String) throws(SyntaxError) {
            for byte in word.utf8 {
                guard current == byte else { throw failure("expected \(word)") }
                position += 1
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> ExactJSON {
            position += 1
            var members: [(key: String, value: ExactJSON)] = []
            skipSpace()
            if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
                position += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return .object(members)
                default: throw failure("expected ',' or '}'")
                }
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> ExactJSON {
            position += 1
            var items: [ExactJSON] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"):
                    position += 1
                    return .array(items)
                default: throw failure("expected ',' or ']'")
                }
            }
        }

        /// A string literal's text, its bytes kept as they are (no normalization).
        mutating func string() throws(SyntaxError) -> String {
            position += 1
            var out: [UInt8] = []
            var start = position
            while true {
                guard let byte = current else { throw failure("unterminated string") }
                if byte == UInt8(ascii: "\"") {
                    out.append(contentsOf: bytes[start..<position])
                    position += 1
                    guard let text = String(validating: out, as: UTF8.self) else { throw failure("invalid UTF-8") }
                    return text
                }
                guard byte >= 0x20 else { throw failure("control character in a string") }
                guard byte == UInt8(ascii: "\\") else {
                    position += 1
                    continue
                }
                out.append(contentsOf: bytes[start..<position])
                position += 1
                try escape(into: &out)
                start = position
            }
        }

        mutating func escape(into out: inout [UInt8]) throws(SyntaxError) {
            guard let byte = current else { throw failure("unterminated escape") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { throw failure("a high surrogate without its low one") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("bad surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw failure("a lone surrogate") }
                out.append(contentsOf: UTF8.encode(scalar)!)
            default: throw failure("bad escape")
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current, let digit = Self.hexValue(byte) else { throw failure("bad \\u escape") }
                code = code << 4 | digit
                position += 1
            }
            return code
        }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x30...0x39: UInt32(byte - 0x30)
            case 0x41...0x46: UInt32(byte - 0x41 + 10)
            case 0x61...0x66: UInt32(byte - 0x61 + 10)
            default: nil
            }
        }

        /// `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`, as a finite double.
        mutating func number() throws(SyntaxError) -> Double {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            let integerDigits = digits()
            guard integerDigits > 0 else { throw failure("unexpected character") }
            guard bytes[integerStart] != UInt8(ascii: "0") || integerDigits == 1 else {
                throw failure("a number cannot start with 0 followed by digits")
            }
            if current == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw failure("digits must follow a decimal point") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { throw failure("digits must follow an exponent") }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard let number = Double(text), number.isFinite else { throw failure("number \(text) is out of range") }
            return number
        }

        /// Skips ASCII digits and returns how many there were.
        mutating func digits() -> Int {
            let start = position
            while let byte = current, (0x30...0x39).contains(byte) { position += 1 }
            return position - start
        }
    }
}
