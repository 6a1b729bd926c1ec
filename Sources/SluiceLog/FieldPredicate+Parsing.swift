public import SluiceCore

extension FieldPredicate {
    /// Parses `ROOT.PATH OP VALUE`, for example `data.objectId = 'x.png'` or `data.size >= 100`.
    ///
    /// Values are single-quoted strings (`''` escapes a quote), integers, decimals, `true`, `false` or `null`.
    public init(parsing text: String) throws(SluiceError) {
        let trimmed = text.trimmingSpaces
        guard let operatorRange = Self.findOperator(in: trimmed) else {
            throw SluiceError(
                .invalidArgument,
                "'\(text)' is not a condition: write FIELD OP VALUE, e.g. data.objectId = 'x.png' (OP is one of = != < <= > >=)"
            )
        }
        let field = String(trimmed[..<operatorRange.range.lowerBound]).trimmingSpaces
        let literal = String(trimmed[operatorRange.range.upperBound...]).trimmingSpaces
        let keys = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = keys.first, let root = Root(rawValue: first), keys.count > 1 else {
            throw SluiceError(.invalidArgument, "'\(field)' must start with data. or metadata.")
        }
        try self.init(
            root: root,
            path: Array(keys.dropFirst()),
            comparison: operatorRange.comparison,
            value: try Self.parseValue(literal)
        )
    }

    private static func findOperator(in text: String) -> (range: Range<String.Index>, comparison: Comparison)? {
        var index = text.startIndex
        var inQuote = false
        while index < text.endIndex {
            let character = text[index]
            if character == "'" { inQuote.toggle() }
            if !inQuote {
                for candidate in ["!=", "<=", ">=", "=", "<", ">"] where text[index...].hasPrefix(candidate) {
                    let end = text.index(index, offsetBy: candidate.count)
                    return (index..<end, Comparison(rawValue: candidate)!)
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func parseValue(_ literal: String) throws(SluiceError) -> Value {
        switch literal {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if literal.count >= 2, literal.hasPrefix("'"), literal.hasSuffix("'") {
            let inner = literal.dropFirst().dropLast()
            var out = ""
            var pendingQuote = false
            for character in inner {
                if character == "'" {
                    if pendingQuote {
                        out.append("'")
                        pendingQuote = false
                    } else {
                        pendingQuote = true
                    }
                    continue
                }
                if pendingQuote { throw SluiceError(.invalidArgument, "a quote inside a string must be doubled: ''") }
                out.append(character)
            }
            if pendingQuote { throw SluiceError(.invalidArgument, "a quote inside a string must be doubled: ''") }
            return .string(out)
        }
        if let integer = Int64(literal) { return .integer(integer) }
        if let double = Double(literal), double.isFinite { return .double(double) }
        throw SluiceError(
            .invalidArgument,
            "'\(literal)' is not a value: use 'text', a number, true, false or null"
        )
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[start...end])
    }
}
