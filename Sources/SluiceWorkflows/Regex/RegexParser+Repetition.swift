/// Repetition operators: `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` and their lazy forms.
extension RegexParser {
    /// Wraps the last item of the current branch in a repetition; reads a trailing `?` that makes it lazy.
    /// `previous` is where the operator just before this one began, if the last token was one: RE2 refuses stacked
    /// operators such as `a**` and the possessive `a*+` rather than reading them as Perl does.
    mutating func repeatLastItem(min: Int, max: Int?, operatorStart: Int, previous: Int?) throws(RegexSyntaxError) {
        var greedy = true
        if peek() == "?" {
            position += 1
            greedy = false
        }
        if let previous {
            throw RegexSyntaxError(.invalidRepetition, "bad repetition operator: \(text(from: previous))")
        }
        guard let item = lastItem else {
            throw RegexSyntaxError(
                .missingRepeatArgument, "missing argument to repetition operator: \(text(from: operatorStart))")
        }
        replaceLastItem(with: .repetition(item, min: min, max: max, greedy: greedy != flags.ungreedy))
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` at the current `{`; nil, without moving, when the braces do not form a count,
    /// in which case RE2 reads the `{` as a literal.
    mutating func parseCount() throws(RegexSyntaxError) -> (min: Int, max: Int?)? {
        let start = position
        var index = position + 1
        func number() -> Int? {
            var value: Int?
            while index < pattern.count, ("0"..."9").contains(pattern[index]) {
                let digit = Int(pattern[index].value) - 0x30
                value = Swift.min((value ?? 0) * 10 + digit, 1_000_000)
                index += 1
            }
            return value
        }
        guard let min = number() else { return nil }
        var max: Int? = min
        if index < pattern.count && pattern[index] == "," {
            index += 1
            max = number()
        }
        guard index < pattern.count && pattern[index] == "}" else { return nil }
        position = index + 1
        if min > Self.maximumRepeatCount || (max ?? min) > Self.maximumRepeatCount || (max ?? min) < min {
            throw RegexSyntaxError(.invalidRepetition, "bad repetition operator: \(text(from: start))")
        }
        return (min, max)
    }

    /// Refuses a tree whose nested counts multiply past ``maximumRepeatCount`` on some path, as RE2 does: such
    /// patterns, like `((a{100}){100}){100}`, would compile to enormous programs.
    static func checkRepetitionNesting(_ root: RegexNode) throws(RegexSyntaxError) {
        if repetitionProduct(root) > maximumRepeatCount {
            throw RegexSyntaxError(
                .invalidRepetition, "bad repetition operator: nested counts multiply to more than \(maximumRepeatCount)"
            )
        }
    }

    /// The largest product of counts along a path from the node down; saturates just past the limit.
    private static func repetitionProduct(_ node: RegexNode) -> Int {
        switch node {
        case .capture(let child, _):
            return repetitionProduct(child)
        case .concatenation(let items), .alternation(let items):
            return items.reduce(1) { Swift.max($0, repetitionProduct($1)) }
        case .repetition(let child, let min, let max, _):
            let inner = repetitionProduct(child)
            let count = max ?? min
            return count > 0 ? Swift.min(inner * count, maximumRepeatCount + 1) : inner
        case .empty, .literal, .anyScalar, .characterClass, .assertion:
            return 1
        }
    }
}
