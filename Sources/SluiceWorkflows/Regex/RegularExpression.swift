/// A regular expression in RE2 syntax, matched in time linear in the input.
///
/// Workflows' `text.*_regex` functions take patterns from uploaded data, so the engine must not backtrack: a
/// pattern such as `(a+)+$` would otherwise take exponential time. Patterns are parsed by ``RegexParser``, compiled
/// by ``RegexCompiler`` and run by ``RegexPikeVM``; positions are offsets in Unicode scalars.
package struct RegularExpression: Sendable {
    /// One match: the range of the whole match and of each group, nil for a group that took no part.
    package struct Match: Sendable, Equatable {
        /// Scalar offsets of the whole match.
        package var range: Range<Int>
        /// Scalar offsets of each group; element 0 is the whole match.
        package var groups: [Range<Int>?]
    }

    /// A matcher gave up after ``stepLimit`` thread steps.
    package struct StepLimitExceeded: Error, Sendable {}

    /// How many thread steps one call may take: about a second of work, far more than any ordinary pattern needs
    /// on the longest string a workflow may hold, and a bound on inputs built to make matching slow.
    package static let stepLimit = 100_000_000

    /// Literal patterns up to this length are searched for directly, without the VM and its step count.
    private static let maximumDirectLiteral = 64

    private let program: RegexProgram
    /// The number of groups, not counting the whole match.
    package let captureCount: Int
    /// The group number of each named group.
    package let captureNames: [String: Int]

    /// Parses and compiles a pattern; throws when RE2 would refuse it or its program would be too large.
    package init(_ pattern: String) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern)
        let root = try parser.parse()
        program = try RegexCompiler.compile(root, captureCount: parser.captureCount)
        captureCount = parser.captureCount
        captureNames = parser.captureNames
    }

    /// Whether the pattern matches anywhere in the input.
    package func matches(_ input: [Unicode.Scalar]) throws(StepLimitExceeded) -> Bool {
        if let literal = directLiteral { return Self.find(literal, in: input, from: 0) != nil }
        var vm = RegexPikeVM(program: program, input: input, slotCount: 0, stepLimit: Self.stepLimit)
        return try vm.search(from: 0, stopAtFirstMatch: true) != nil
    }

    /// The leftmost-first match starting at or after `start`, with every group.
    package func firstMatch(in input: [Unicode.Scalar], from start: Int = 0) throws(StepLimitExceeded) -> Match? {
        var vm = RegexPikeVM(program: program, input: input, slotCount: program.slotCount, stepLimit: Self.stepLimit)
        return try nextMatch(in: input, from: start, vm: &vm)
    }

    /// The successive non-overlapping matches, left to right, with groups 0 to `groupLimit` (fewer if the pattern
    /// has fewer). As in RE2's `GlobalReplace` and Go's `FindAll`, an empty match right where the previous match
    /// ended is skipped, and after an empty match the search moves on by one scalar. Throws once the searches
    /// together take more than `stepLimit` thread steps.
    ///
    /// The matcher copies each thread's slots at every step, so asking only for the groups a caller uses keeps
    /// patterns with many groups cheap.
    package func allMatches(
        in input: [Unicode.Scalar], groupLimit: Int = .max, stepLimit: Int = Self.stepLimit
    ) throws(StepLimitExceeded) -> [Match] {
        let groupCount = min(max(groupLimit, 0), captureCount) + 1
        var vm = RegexPikeVM(program: program, input: input, slotCount: 2 * groupCount, stepLimit: stepLimit)
        var found: [Match] = []
        var position = 0
        var previousEnd = -1
        while position <= input.count, let match = try nextMatch(in: input, from: position, vm: &vm) {
            if match.range.isEmpty {
                if match.range.lowerBound != previousEnd { found.append(match) }
                position = match.range.upperBound + 1
            } else {
                found.append(match)
                position = match.range.upperBound
            }
            previousEnd = match.range.upperBound
        }
        return found
    }

    private func nextMatch(
        in input: [Unicode.Scalar], from start: Int, vm: inout RegexPikeVM
    ) throws(StepLimitExceeded) -> Match? {
        if let literal = directLiteral {
            guard let offset = Self.find(literal, in: input, from: start) else { return nil }
            let range = offset..<(offset + literal.count)
            return Match(range: range, groups: [range])
        }
        guard let slots = try vm.search(from: start) else { return nil }
        let ranges: [Range<Int>?] = (0..<(slots.count / 2)).map { group in
            let (lower, upper) = (slots[2 * group], slots[2 * group + 1])
            return lower >= 0 && upper >= lower ? lower..<upper : nil
        }
        return Match(range: ranges[0]!, groups: ranges)
    }

    /// The pattern's scalars when it is a literal short enough to search for directly.
    private var directLiteral: [Unicode.Scalar]? {
        program.literal.flatMap { $0.count <= Self.maximumDirectLiteral ? $0 : nil }
    }

    /// The first offset at or after `start` where `needle` occurs; O(needle × haystack), with a short needle.
    private static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + needle.count <= haystack.count else { return nil }
        guard let first = needle.first else { return start }
        var offset = start
        while offset + needle.count <= haystack.count {
            if haystack[offset] == first && haystack[offset..<(offset + needle.count)].elementsEqual(needle) {
                return offset
            }
            offset += 1
        }
        return nil
    }
}
