/// Turns a ``RegexNode`` tree into a ``RegexProgram`` in the Thompson style: one instruction per scalar test and
/// `split`s whose first target is the preferred path.
struct RegexCompiler {
    /// The most instructions a program may have; RE2 likewise refuses patterns whose program exceeds its memory
    /// budget. The size is computed from the tree first, so an oversized pattern is refused before any is emitted.
    static let maximumProgramSize = 100_000

    private var program = RegexProgram()

    /// Compiles a parsed pattern with `captureCount` groups besides the whole match.
    static func compile(_ root: RegexNode, captureCount: Int) throws(RegexSyntaxError) -> RegexProgram {
        // Two saves around the pattern and the final match.
        guard size(of: root) + 3 <= maximumProgramSize else {
            throw RegexSyntaxError(.tooLarge, "pattern too large - compile failed")
        }
        var compiler = RegexCompiler()
        compiler.program.slotCount = 2 * (captureCount + 1)
        compiler.append(.save(0))
        compiler.emit(root)
        compiler.append(.save(1))
        compiler.append(.match)
        compiler.program.isAnchoredAtStart = Self.isAnchoredAtStart(root)
        compiler.program.literal = Self.literal(root)
        return compiler.program
    }

    /// The number of instructions `emit` produces for the node, saturating just past the limit.
    private static func size(of node: RegexNode) -> Int {
        let cap = maximumProgramSize + 1
        switch node {
        case .empty:
            return 0
        case .literal, .anyScalar, .characterClass, .assertion:
            return 1
        case .capture(let child, _):
            return min(size(of: child) + 2, cap)
        case .concatenation(let items):
            return items.reduce(0) { min($0 + size(of: $1), cap) }
        case .alternation(let branches):
            return branches.reduce(0) { min($0 + size(of: $1) + 2, cap) }
        case .repetition(let child, let lower, let upper, _):
            let each = size(of: child)
            let optional = upper.map { $0 - lower } ?? 1
            // min copies, then per optional copy the child and a split, or for no upper bound a loop of two more.
            return min(lower * each + optional * (each + 2), cap)
        }
    }

    @discardableResult
    private mutating func append(_ instruction: RegexProgram.Instruction) -> Int {
        program.instructions.append(instruction)
        return program.instructions.count - 1
    }

    private var next: Int { program.instructions.count }

    private mutating func emit(_ node: RegexNode) {
        switch node {
        case .empty:
            break
        case .literal(let scalar, let foldsCase):
            if foldsCase {
                append(.foldedScalar(RegexCaseFolding.fold(scalar)))
            } else {
                append(.scalar(scalar))
            }
        case .anyScalar(let matchesNewline):
            append(matchesNewline ? .anyScalar : .anyScalarExceptNewline)
        case .characterClass(let characterClass):
            program.classes.append(characterClass)
            append(
                .characterClass(
                    program.classes.count - 1, asciiLow: characterClass.asciiLow, asciiHigh: characterClass.asciiHigh))
        case .assertion(let assertion):
            append(.assertion(assertion))
        case .capture(let child, let index):
            append(.save(2 * index))
            emit(child)
            append(.save(2 * index + 1))
        case .concatenation(let items):
            for item in items { emit(item) }
        case .alternation(let branches):
            emitAlternation(branches)
        case .repetition(let child, let lower, let upper, let greedy):
            emitRepetition(child, lower: lower, upper: upper, greedy: greedy)
        }
    }

    /// `split L1, L2; L1: a; jump end; L2: split ...; last: z; end:`.
    private mutating func emitAlternation(_ branches: [RegexNode]) {
        var jumps: [Int] = []
        for (offset, branch) in branches.enumerated() {
            guard offset < branches.count - 1 else {
                emit(branch)
                break
            }
            let split = append(.split(0, 0))
            emit(branch)
            jumps.append(append(.jump(0)))
            program.instructions[split] = .split(split + 1, next)
        }
        for jump in jumps { program.instructions[jump] = .jump(next) }
    }

    /// The required copies, then either a loop or the optional copies, each behind a split that prefers going on
    /// (greedy) or stopping (lazy). Optional copies nest like `(x(x)?)?`, so all their splits exit to one place.
    private mutating func emitRepetition(_ child: RegexNode, lower: Int, upper: Int?, greedy: Bool) {
        guard let upper else {
            if lower == 0 {
                // As `(x+)?`, like RE2: with the loop test first (`split body, end; body: x; jump loop`), a body
                // that matches empty would find the loop already visited and lose the iteration's captures.
                let entry = append(.split(0, 0))
                let body = next
                emit(child)
                append(greedy ? .split(body, next + 1) : .split(next + 1, body))
                program.instructions[entry] = greedy ? .split(body, next) : .split(next, body)
            } else {
                for _ in 0..<(lower - 1) { emit(child) }
                // body: child; split body, end; end:
                let body = next
                emit(child)
                append(greedy ? .split(body, next + 1) : .split(next + 1, body))
            }
            return
        }
        for _ in 0..<lower { emit(child) }
        var splits: [Int] = []
        for _ in lower..<upper {
            splits.append(append(.split(0, 0)))
            emit(child)
        }
        for split in splits {
            program.instructions[split] = greedy ? .split(split + 1, next) : .split(next, split + 1)
        }
    }

    private static func isAnchoredAtStart(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.beginText): true
        case .concatenation(let items): items.first.map(isAnchoredAtStart) ?? false
        case .capture(let child, _): isAnchoredAtStart(child)
        default: false
        }
    }

    /// The scalars of a pattern made only of case-sensitive literals, if it is one.
    private static func literal(_ node: RegexNode) -> [Unicode.Scalar]? {
        switch node {
        case .literal(let scalar, foldsCase: false):
            return [scalar]
        case .concatenation(let items):
            var scalars: [Unicode.Scalar] = []
            for item in items {
                guard case .literal(let scalar, foldsCase: false) = item else { return nil }
                scalars.append(scalar)
            }
            return scalars
        default:
            return nil
        }
    }
}
