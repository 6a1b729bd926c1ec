/// Reads a pattern in RE2 syntax into a ``RegexNode`` tree, refusing what RE2 refuses.
///
/// The parser keeps an explicit stack of open groups instead of recursing, so a deeply nested pattern costs heap,
/// not thread stack; the stack is still bounded by ``maximumNestingDepth``.
struct RegexParser {
    /// RE2's limit on `{n}`, `{n,m}` counts, also applied to the product of nested counts.
    static let maximumRepeatCount = 1000
    /// RE2's limit on nested groups.
    static let maximumNestingDepth = 1000

    /// An open group: the branches finished so far and the items of the current branch.
    private struct Frame {
        enum Kind { case top, capture(Int), group }
        var kind: Kind
        /// The flags in force before the group opened, restored when it closes.
        var savedFlags: RegexFlags
        var branches: [RegexNode] = []
        var items: [RegexNode] = []
    }

    let pattern: [Unicode.Scalar]
    var position = 0
    var flags = RegexFlags()
    var foldingBudget = RegexCharacterClass.foldingBudget
    private var stack: [Frame] = [Frame(kind: .top, savedFlags: RegexFlags())]
    /// How many capture groups the pattern has, not counting the whole match.
    private(set) var captureCount = 0
    /// The group number of each named group.
    private(set) var captureNames: [String: Int] = [:]

    init(_ pattern: String) {
        self.pattern = Array(pattern.unicodeScalars)
    }

    /// Parses the whole pattern.
    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        var lastRepetitionStart: Int?
        while position < pattern.count {
            let start = position
            var isRepetition = false
            switch pattern[position] {
            case "(":
                try openGroup()
            case ")":
                try closeGroup()
            case "|":
                position += 1
                finishBranch()
            case "*", "+", "?":
                let operatorKind = pattern[position]
                position += 1
                let (min, max): (Int, Int?) =
                    switch operatorKind {
                    case "*": (0, nil)
                    case "+": (1, nil)
                    default: (0, 1)
                    }
                try repeatLastItem(min: min, max: max, operatorStart: start, previous: lastRepetitionStart)
                isRepetition = true
            case "{":
                if let (min, max) = try parseCount() {
                    try repeatLastItem(min: min, max: max, operatorStart: start, previous: lastRepetitionStart)
                    isRepetition = true
                } else {
                    position += 1
                    appendLiteral("{")
                }
            case "[":
                append(.characterClass(try parseBracketClass()))
            case ".":
                position += 1
                append(.anyScalar(matchesNewline: flags.dotMatchesNewline))
            case "^":
                position += 1
                append(.assertion(flags.multiline ? .beginLine : .beginText))
            case "$":
                position += 1
                append(.assertion(flags.multiline ? .endLine : .endText))
            case "\\":
                try parseEscapeOutsideClass()
            default:
                appendLiteral(pattern[position])
                position += 1
            }
            lastRepetitionStart = isRepetition ? start : nil
        }
        guard stack.count == 1 else { throw RegexSyntaxError(.missingParenthesis, "missing closing )") }
        finishBranch()
        let root = Self.alternation(of: stack[0].branches)
        try Self.checkRepetitionNesting(root)
        return root
    }

    /// Adds a node to the current branch.
    mutating func append(_ node: RegexNode) {
        stack[stack.count - 1].items.append(node)
    }

    /// The last item of the current branch, the one a repetition operator applies to.
    var lastItem: RegexNode? { stack[stack.count - 1].items.last }

    /// Replaces the last item of the current branch.
    mutating func replaceLastItem(with node: RegexNode) {
        let frame = stack.count - 1
        stack[frame].items[stack[frame].items.count - 1] = node
    }

    /// Adds a literal scalar, case-insensitive when `(?i)` is in force and the scalar has other cases.
    mutating func appendLiteral(_ scalar: Unicode.Scalar) {
        append(.literal(scalar, foldsCase: flags.caseInsensitive && RegexCaseFolding.hasOtherCases(scalar)))
    }

    /// The text of the pattern from `start` to the current position, for error messages.
    func text(from start: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: pattern[start..<min(position, pattern.count)])
        return String(view)
    }

    /// The scalar at the current position plus `offset`, if there is one.
    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < pattern.count ? pattern[position + offset] : nil
    }

    // MARK: Groups

    /// Opens a group (after `(`, and `(?:`, `(?P<name>` and so on), or applies a `(?flags)` group.
    private mutating func openGroup() throws(RegexSyntaxError) {
        let start = position
        position += 1
        guard peek() == "?" else {
            try push(.capture(newCapture(name: nil, start: start)))
            return
        }
        position += 1
        let next = peek()
        let afterNext = peek(1)
        if next == "P" && afterNext == "<" || next == "<" && afterNext != "=" && afterNext != "!" {
            position += next == "P" ? 2 : 1
            let name = try parseCaptureName(start: start)
            try push(.capture(newCapture(name: name, start: start)))
        } else if next == "=" || next == "!" || next == "<" {
            position += next == "<" ? 2 : 1
            throw RegexSyntaxError(.unsupported, "lookaround assertions are not supported: \(text(from: start))")
        } else if next == "P" && afterNext == "=" {
            position += 2
            throw RegexSyntaxError(.unsupported, "backreferences are not supported: \(text(from: start))")
        } else {
            try parseFlagGroup(start: start)
        }
    }

    private mutating func push(_ kind: Frame.Kind) throws(RegexSyntaxError) {
        guard stack.count <= Self.maximumNestingDepth else {
            throw RegexSyntaxError(.nestingTooDeep, "expression nests too deeply")
        }
        stack.append(Frame(kind: kind, savedFlags: flags))
    }

    private mutating func newCapture(name: String?, start: Int) throws(RegexSyntaxError) -> Int {
        captureCount += 1
        if let name {
            guard captureNames[name] == nil else {
                throw RegexSyntaxError(.duplicateCaptureName, "duplicate capture group name: \(text(from: start))")
            }
            captureNames[name] = captureCount
        }
        return captureCount
    }

    /// Reads `name>` after `(?P<` or `(?<`.
    private mutating func parseCaptureName(start: Int) throws(RegexSyntaxError) -> String {
        let nameStart = position
        while let scalar = peek(), scalar != ">" {
            guard Self.isWordScalar(scalar) else {
                position += 1
                throw RegexSyntaxError(.invalidNamedCapture, "invalid named capture group: \(text(from: start))")
            }
            position += 1
        }
        guard peek() == ">", position > nameStart else {
            position = min(position + 1, pattern.count)
            throw RegexSyntaxError(.invalidNamedCapture, "invalid named capture group: \(text(from: start))")
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: pattern[nameStart..<position])
        position += 1
        return String(view)
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
            .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    /// Reads `flags)` or `flags:` after `(?`, with an optional `-` before flags to clear.
    private mutating func parseFlagGroup(start: Int) throws(RegexSyntaxError) {
        var newFlags = flags
        var negated = false
        var sawFlag = false
        while true {
            guard let scalar = peek() else { break }
            position += 1
            switch scalar {
            case "i": newFlags.caseInsensitive = !negated
            case "m": newFlags.multiline = !negated
            case "s": newFlags.dotMatchesNewline = !negated
            case "U": newFlags.ungreedy = !negated
            case "-" where !negated:
                negated = true
                sawFlag = false
                continue
            case ")" where !negated || sawFlag:
                flags = newFlags
                return
            case ":" where !negated || sawFlag:
                try push(.group)
                flags = newFlags
                return
            default:
                throw RegexSyntaxError(.invalidPerlOperator, "invalid or unsupported Perl syntax: \(text(from: start))")
            }
            sawFlag = true
        }
        throw RegexSyntaxError(.missingParenthesis, "missing closing ): \(text(from: start))")
    }

    private mutating func closeGroup() throws(RegexSyntaxError) {
        position += 1
        guard stack.count > 1 else { throw RegexSyntaxError(.unexpectedParenthesis, "unexpected )") }
        finishBranch()
        let frame = stack.removeLast()
        let body = Self.alternation(of: frame.branches)
        flags = frame.savedFlags
        switch frame.kind {
        case .capture(let index): append(.capture(body, index: index))
        case .group, .top: append(body)
        }
    }

    private mutating func finishBranch() {
        let items = stack[stack.count - 1].items
        stack[stack.count - 1].items = []
        stack[stack.count - 1].branches.append(
            items.isEmpty ? .empty : items.count == 1 ? items[0] : .concatenation(items))
    }

    private static func alternation(of branches: [RegexNode]) -> RegexNode {
        branches.count == 1 ? branches[0] : .alternation(branches)
    }
}
