/// Bracket classes: `[a-z]`, `[^...]`, escapes and POSIX names such as `[[:alpha:]]` inside them.
extension RegexParser {
    private enum ClassAtom {
        case scalar(UInt32)
        case set(RegexScalarSet)
    }

    /// The ASCII POSIX classes RE2 accepts inside brackets.
    private static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
        "alpha": [0x41...0x5A, 0x61...0x7A],
        "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20],
        "cntrl": [0x00...0x1F, 0x7F...0x7F],
        "digit": [0x30...0x39],
        "graph": [0x21...0x7E],
        "lower": [0x61...0x7A],
        "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
        "space": [0x09...0x0D, 0x20...0x20],
        "upper": [0x41...0x5A],
        "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
        "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]

    /// Reads the class at the current `[`.
    mutating func parseBracketClass() throws(RegexSyntaxError) -> RegexCharacterClass {
        let start = position
        position += 1
        var result = RegexCharacterClass()
        if peek() == "^" {
            result.isNegated = true
            position += 1
        }
        var first = true
        while true {
            guard let scalar = peek() else {
                throw RegexSyntaxError(.missingBracket, "missing closing ]: \(text(from: start))")
            }
            // A `]` right after `[` or `[^` is a literal.
            if scalar == "]" && !first {
                position += 1
                break
            }
            first = false
            if scalar == "[" && peek(1) == ":", let posix = try parsePosixClass() {
                result.insert(posix)
                continue
            }
            let rangeStart = position
            let low: UInt32
            switch try parseClassAtom(classStart: start) {
            case .scalar(let value): low = value
            case .set(let set):
                result.insert(set)
                continue
            }
            guard peek() == "-", let after = peek(1), after != "]" else {
                result.insert(low...low)
                continue
            }
            position += 1
            guard case .scalar(let high) = try parseClassAtom(classStart: start), low <= high else {
                throw RegexSyntaxError(
                    .invalidCharacterRange, "invalid character class range: \(text(from: rangeStart))")
            }
            result.insert(low...high)
        }
        result.foldsCase = flags.caseInsensitive
        result.finalize(foldingBudget: &foldingBudget)
        return result
    }

    private mutating func parseClassAtom(classStart: Int) throws(RegexSyntaxError) -> ClassAtom {
        guard let scalar = peek() else {
            throw RegexSyntaxError(.missingBracket, "missing closing ]: \(text(from: classStart))")
        }
        guard scalar == "\\" else {
            position += 1
            return .scalar(scalar.value)
        }
        switch try parseEscape(inClass: true) {
        case .scalar(let value): return .scalar(value)
        case .set(let set): return .set(set)
        case .assertion: preconditionFailure("parseEscape(inClass: true) returned a zero-width assertion")
        }
    }

    /// Reads `[:name:]` or `[:^name:]` at the current `[`; nil, without moving, when no `:]` follows.
    private mutating func parsePosixClass() throws(RegexSyntaxError) -> RegexScalarSet? {
        var end = position + 2
        while end + 1 < pattern.count && !(pattern[end] == ":" && pattern[end + 1] == "]") { end += 1 }
        guard end + 1 < pattern.count else { return nil }
        let start = position
        var view = String.UnicodeScalarView()
        view.append(contentsOf: pattern[(position + 2)..<end])
        var name = String(view)
        position = end + 2
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = Self.posixClasses[name] else {
            throw RegexSyntaxError(.invalidCharacterRange, "invalid character class range: \(text(from: start))")
        }
        return RegexScalarSet(ranges: ranges, isInverted: negated)
    }
}
