import OrderedCollections

/// Splits expression text into tokens.
struct ExpressionTokenizer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    static func tokenize(_ text: String) throws(ExpressionSyntaxError) -> [(ExpressionToken, Int)] {
        var tokenizer = ExpressionTokenizer(text)
        var tokens: [(ExpressionToken, Int)] = []
        while true {
            let (token, offset) = try tokenizer.next()
            tokens.append((token, offset))
            if token == .end { return tokens }
        }
    }

    private static let keywords: [String: ExpressionToken.Keyword] = [
        "and": .and, "AND": .and, "or": .or, "OR": .or, "not": .not, "NOT": .not, "in": .in,
        "true": .true, "True": .true, "TRUE": .true, "false": .false, "False": .false, "FALSE": .false,
        "null": .null,
    ]

    private mutating func next() throws(ExpressionSyntaxError) -> (ExpressionToken, Int) {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        let start = position
        guard position < scalars.count else { return (.end, start) }
        let c = scalars[position]
        if c == "\"" || c == "'" { return (.string(try readString(quote: c)), start) }
        if ("0"..."9").contains(c)
            || (c == "." && position + 1 < scalars.count && ("0"..."9").contains(scalars[position + 1]))
        {
            return (try readNumber(), start)
        }
        if c == "_" || c.properties.isAlphabetic {
            while position < scalars.count,
                scalars[position] == "_" || scalars[position].properties.isAlphabetic
                    || ("0"..."9").contains(scalars[position])
            {
                position += 1
            }
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars[start..<position])
            let text = String(word)
            if let keyword = Self.keywords[text] { return (.keyword(keyword), start) }
            return (.identifier(text), start)
        }
        let two = position + 1 < scalars.count ? String(c) + String(scalars[position + 1]) : ""
        if ["//", "==", "!=", "<=", ">="].contains(two) {
            position += 2
            return (.symbol(two), start)
        }
        if "+-*/%<>()[]{},:.".unicodeScalars.contains(c) {
            position += 1
            return (.symbol(String(c)), start)
        }
        throw ExpressionSyntaxError(message: "unexpected character '\(c)'", offset: start)
    }

    private mutating func readNumber() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        var isDouble = false
        while position < scalars.count {
            let c = scalars[position]
            if ("0"..."9").contains(c) {
                position += 1
            } else if c == "." && !isDouble && position + 1 < scalars.count
                && ("0"..."9").contains(scalars[position + 1])
            {
                isDouble = true
                position += 1
            } else if c == "e" || c == "E" {
                isDouble = true
                position += 1
                if position < scalars.count, scalars[position] == "+" || scalars[position] == "-" { position += 1 }
            } else {
                break
            }
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<position])
        let string = String(text)
        if !isDouble {
            guard let value = Int64(string) else {
                throw ExpressionSyntaxError(message: "integer literal \(string) is out of range", offset: start)
            }
            return .int(value)
        }
        guard let value = Double(string) else {
            throw ExpressionSyntaxError(message: "bad number \(string)", offset: start)
        }
        return .double(value)
    }

    private mutating func readString(quote: Unicode.Scalar) throws(ExpressionSyntaxError) -> String {
        let start = position
        position += 1
        var out = String.UnicodeScalarView()
        while true {
            guard position < scalars.count else {
                throw ExpressionSyntaxError(message: "unterminated string literal", offset: start)
            }
            let c = scalars[position]
            position += 1
            if c == quote { return String(out) }
            guard c == "\\" else {
                out.append(c)
                continue
            }
            guard position < scalars.count else {
                throw ExpressionSyntaxError(message: "unterminated escape", offset: position)
            }
            let e = scalars[position]
            position += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\", "\"", "'", "/": out.append(e)
            case "u":
                guard position + 4 <= scalars.count else {
                    throw ExpressionSyntaxError(message: "short unicode escape", offset: position)
                }
                var hex = String.UnicodeScalarView()
                hex.append(contentsOf: scalars[position..<position + 4])
                position += 4
                guard let code = UInt32(String(hex), radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw ExpressionSyntaxError(message: "bad unicode escape", offset: position)
                }
                out.append(scalar)
            default: throw ExpressionSyntaxError(message: "unknown escape \\\(e)", offset: position - 1)
            }
        }
    }
}
