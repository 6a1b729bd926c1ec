/// Backslash escapes: character escapes, Perl and Unicode classes, and the zero-width `\b \B \A \z`.
extension RegexParser {
    /// What an escape stands for.
    enum Escape {
        case scalar(UInt32)
        case set(RegexScalarSet)
        case assertion(RegexAssertion)
    }

    /// Reads an escape outside brackets, including `\Q...\E` literal text, and appends what it stands for.
    mutating func parseEscapeOutsideClass() throws(RegexSyntaxError) {
        let start = position
        if peek(1) == "Q" {
            position += 2
            while let scalar = peek() {
                if scalar == "\\" && peek(1) == "E" {
                    position += 2
                    break
                }
                appendLiteral(scalar)
                position += 1
            }
            return
        }
        switch try parseEscape(inClass: false) {
        case .scalar(let value):
            appendLiteral(try literalScalar(value, start: start))
        case .set(let set):
            append(.characterClass(set.characterClass(foldsCase: flags.caseInsensitive, foldingBudget: &foldingBudget)))
        case .assertion(let assertion):
            append(.assertion(assertion))
        }
    }

    /// The scalar for a code point from an escape; surrogate code points have none.
    func literalScalar(_ value: UInt32, start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        guard let scalar = Unicode.Scalar(value) else {
            throw RegexSyntaxError(.invalidEscape, "invalid escape sequence: \(text(from: start))")
        }
        return scalar
    }

    /// Reads the escape at the current `\`. Inside brackets the zero-width escapes are not allowed.
    mutating func parseEscape(inClass: Bool) throws(RegexSyntaxError) -> Escape {
        let start = position
        position += 1
        guard let scalar = peek() else { throw RegexSyntaxError(.invalidEscape, "trailing \\") }
        position += 1
        switch scalar {
        case "1"..."7":
            // A lone digit is a backreference in Perl; followed by an octal digit it is an octal escape.
            guard let next = peek(), ("0"..."7").contains(next) else {
                throw RegexSyntaxError(.unsupported, "backreferences are not supported: \(text(from: start))")
            }
            return .scalar(readOctal(first: scalar))
        case "0":
            return .scalar(readOctal(first: scalar))
        case "x":
            return .scalar(try readHex(start: start))
        case "a": return .scalar(0x07)
        case "f": return .scalar(0x0C)
        case "t": return .scalar(0x09)
        case "n": return .scalar(0x0A)
        case "r": return .scalar(0x0D)
        case "v": return .scalar(0x0B)
        case "d": return .set(.digits)
        case "D": return .set(RegexScalarSet.digits.inverted)
        case "s": return .set(.perlSpace)
        case "S": return .set(RegexScalarSet.perlSpace.inverted)
        case "w": return .set(.word)
        case "W": return .set(RegexScalarSet.word.inverted)
        case "p", "P": return .set(try readUnicodeClass(negated: scalar == "P", start: start))
        case "b" where !inClass: return .assertion(.wordBoundary)
        case "B" where !inClass: return .assertion(.notWordBoundary)
        case "A" where !inClass: return .assertion(.beginText)
        case "z" where !inClass: return .assertion(.endText)
        case "C":
            throw RegexSyntaxError(.unsupported, "\\C (any byte) is not supported")
        default:
            // Escaped ASCII punctuation stands for itself; escaped letters and digits RE2 does not define are errors.
            if scalar.value < 0x80 && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar) {
                return .scalar(scalar.value)
            }
            throw RegexSyntaxError(.invalidEscape, "invalid escape sequence: \(text(from: start))")
        }
    }

    /// Up to three octal digits, the first already read.
    private mutating func readOctal(first: Unicode.Scalar) -> UInt32 {
        var value = first.value - 0x30
        for _ in 0..<2 {
            guard let digit = peek(), ("0"..."7").contains(digit) else { break }
            value = value * 8 + digit.value - 0x30
            position += 1
        }
        return value
    }

    /// `\xHH` with exactly two hex digits, or `\x{H...}` up to 10FFFF.
    private mutating func readHex(start: Int) throws(RegexSyntaxError) -> UInt32 {
        let invalid = { (parser: Self) in
            RegexSyntaxError(.invalidEscape, "invalid escape sequence: \(parser.text(from: start))")
        }
        var value: UInt32 = 0
        if peek() == "{" {
            position += 1
            var digits = 0
            while let scalar = peek(), let digit = Self.hexValue(scalar) {
                value = Swift.min(value * 16 + digit, 0x110000)
                digits += 1
                position += 1
            }
            guard peek() == "}", digits > 0, value <= 0x10FFFF else {
                position = Swift.min(position + 1, pattern.count)
                throw invalid(self)
            }
            position += 1
            return value
        }
        for _ in 0..<2 {
            guard let scalar = peek(), let digit = Self.hexValue(scalar) else { throw invalid(self) }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 0x30
        case "a"..."f": scalar.value - 0x61 + 10
        case "A"..."F": scalar.value - 0x41 + 10
        default: nil
        }
    }

    /// `\pL`, `\p{Lu}`, `\p{^Lu}`, `\PL`: a general category, a one-letter group of them, or `Any`.
    private mutating func readUnicodeClass(negated: Bool, start: Int) throws(RegexSyntaxError) -> RegexScalarSet {
        guard let first = peek() else { throw RegexSyntaxError(.invalidEscape, "invalid escape sequence: \\p") }
        position += 1
        var name = String(first)
        if first == "{" {
            let nameStart = position
            while let scalar = peek(), scalar != "}" { position += 1 }
            guard peek() == "}" else {
                throw RegexSyntaxError(.invalidCharacterRange, "invalid character class range: \(text(from: start))")
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: pattern[nameStart..<position])
            name = String(view)
            position += 1
        }
        var negated = negated
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let set = RegexUnicodeCategory.set(named: name) else {
            throw RegexSyntaxError(
                .unsupported,
                "unknown or unsupported Unicode class: \(text(from: start)) (only general categories such as "
                    + "\\pL or \\p{Lu} and \\p{Any} are supported, not scripts)")
        }
        return negated ? set.inverted : set
    }
}
