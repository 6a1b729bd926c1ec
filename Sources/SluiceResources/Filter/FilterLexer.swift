import SluiceCore

/// One token of a subscription filter, with the byte offset it starts at.
struct FilterToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case word(String)
        case string(String)
        case dot, colon, equals, notEquals, leftParen, rightParen, comma, minus
        case end
    }

    var kind: Kind
    var offset: Int
}

/// Splits a filter into tokens.
struct FilterLexer {
    private let bytes: [UInt8]
    private var index = 0

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    static func error(_ what: String, at offset: Int) -> SluiceError {
        SluiceError(.invalidArgument, "invalid filter at byte \(offset): \(what)")
    }

    mutating func tokens() throws(SluiceError) -> [FilterToken] {
        var result: [FilterToken] = []
        while true {
            let token = try next()
            result.append(token)
            if token.kind == .end { return result }
        }
    }

    private mutating func next() throws(SluiceError) -> FilterToken {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        let start = index
        guard index < bytes.count else { return FilterToken(kind: .end, offset: start) }
        let byte = bytes[index]
        index += 1
        let single: [UInt8: FilterToken.Kind] = [
            UInt8(ascii: "."): .dot, UInt8(ascii: ":"): .colon, UInt8(ascii: "="): .equals,
            UInt8(ascii: "("): .leftParen, UInt8(ascii: ")"): .rightParen, UInt8(ascii: ","): .comma,
            UInt8(ascii: "-"): .minus,
        ]
        if let kind = single[byte] { return FilterToken(kind: kind, offset: start) }
        if byte == UInt8(ascii: "!") {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw Self.error("'!' must be followed by '='", at: start)
            }
            index += 1
            return FilterToken(kind: .notEquals, offset: start)
        }
        if byte == UInt8(ascii: "\"") { return FilterToken(kind: .string(try string(start: start)), offset: start) }
        if Self.isWordByte(byte) {
            while index < bytes.count, Self.isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "-") { index += 1 }
            return FilterToken(kind: .word(String(decoding: bytes[start..<index], as: UTF8.self)), offset: start)
        }
        throw Self.error("unexpected character", at: start)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
    }

    private mutating func string(start: Int) throws(SluiceError) -> String {
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                continue
            }
            guard index < bytes.count else { break }
            let escape = bytes[index]
            let escapeOffset = index - 1
            index += 1
            let simple: [UInt8: UInt8] = [
                UInt8(ascii: "\""): 0x22, UInt8(ascii: "'"): 0x27, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "?"): 0x3F,
                UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
                UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09, UInt8(ascii: "v"): 0x0B, UInt8(ascii: "`"): 0x60,
            ]
            if let value = simple[escape] {
                out.append(value)
            } else if escape == UInt8(ascii: "x") {
                out.append(UInt8(try number(digits: 2, radix: 16, at: escapeOffset)))
            } else if escape == UInt8(ascii: "u") || escape == UInt8(ascii: "U") {
                let value = try number(digits: escape == UInt8(ascii: "u") ? 4 : 8, radix: 16, at: escapeOffset)
                guard let scalar = Unicode.Scalar(value) else {
                    throw Self.error("escape is not a Unicode scalar", at: escapeOffset)
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            } else if (0x30...0x37).contains(escape) {
                index -= 1
                let value = try number(digits: 3, radix: 8, at: escapeOffset)
                guard value <= 0xFF else { throw Self.error("octal escape above \\377", at: escapeOffset) }
                out.append(UInt8(value))
            } else {
                throw Self.error("unknown escape", at: escapeOffset)
            }
        }
        throw Self.error("unterminated string", at: start)
    }

    private mutating func number(digits: Int, radix: UInt32, at offset: Int) throws(SluiceError) -> UInt32 {
        guard index + digits <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<(index + digits)], as: UTF8.self), radix: Int(radix))
        else { throw Self.error("escape needs \(digits) digits in base \(radix)", at: offset) }
        index += digits
        return value
    }
}
