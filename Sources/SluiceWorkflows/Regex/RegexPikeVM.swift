/// Runs a ``RegexProgram`` over the input as a Pike VM: all threads advance together one scalar at a time, so a
/// search costs O(program size × input length) whatever the pattern, and nothing recurses.
///
/// Threads are kept in priority order and a thread that reaches an instruction another thread already holds at
/// the same position is dropped, which gives RE2's leftmost-first (Perl-like) choice among matches.
struct RegexPikeVM {
    /// The threads at one input position: a sparse set of program counters in priority order, and the capture
    /// slots of the thread at each consuming instruction.
    private struct ThreadList {
        var dense: [Int]
        var sparse: [Int]
        var count = 0
        var slots: [Int]

        init(size: Int, slotCount: Int) {
            dense = Array(repeating: 0, count: size)
            sparse = Array(repeating: 0, count: size)
            slots = Array(repeating: -1, count: size * slotCount)
        }

        func contains(_ pc: Int) -> Bool {
            let index = sparse[pc]
            return index < count && dense[index] == pc
        }

        mutating func insert(_ pc: Int) {
            sparse[pc] = count
            dense[count] = pc
            count += 1
        }
    }

    /// Work left on the explicit stack that replaces recursion over epsilon transitions.
    private enum Work {
        case explore(Int)
        case restore(slot: Int, value: Int)
    }

    private let program: RegexProgram
    private let input: [Unicode.Scalar]
    private let slotCount: Int
    /// Kept between searches so that finding all matches allocates the lists once.
    private var spareLists: (ThreadList, ThreadList)
    private var scratch: [Int]
    private var work: [Work] = []
    /// How many more thread steps this matcher may take, over all its searches.
    private var remainingSteps: Int

    /// Prepares searches that fill `slotCount` capture slots (0 to only learn whether there is a match) and together
    /// take at most `stepLimit` thread steps.
    init(program: RegexProgram, input: [Unicode.Scalar], slotCount: Int, stepLimit: Int) {
        remainingSteps = stepLimit
        self.program = program
        self.input = input
        self.slotCount = min(slotCount, program.slotCount)
        let size = program.instructions.count
        spareLists = (
            ThreadList(size: size, slotCount: self.slotCount), ThreadList(size: size, slotCount: self.slotCount)
        )
        scratch = Array(repeating: -1, count: self.slotCount)
    }

    /// The slots of the leftmost-first match starting at or after `start`, or nil; -1 marks a group that did not
    /// take part. With `stopAtFirstMatch`, returns as soon as any match is known, with unreliable slots.
    ///
    /// Throws once the searches have taken more thread steps than the limit: each search is linear in the input,
    /// but a large program on a long input, or many searches each scanning far ahead, can still take very long.
    mutating func search(
        from start: Int, stopAtFirstMatch: Bool = false
    ) throws(RegularExpression.StepLimitExceeded) -> [Int]? {
        var matched: [Int]?
        // Moved out of self so that adding threads to them does not overlap the access to self.
        var (current, next) = spareLists
        spareLists = (ThreadList(size: 0, slotCount: 0), ThreadList(size: 0, slotCount: 0))
        defer { spareLists = (current, next) }
        current.count = 0
        next.count = 0
        var position = start
        while true {
            if matched == nil && (position == start || !program.isAnchoredAtStart) {
                for slot in 0..<slotCount { scratch[slot] = -1 }
                addThread(to: &current, pc: 0, at: position)
            }
            if current.count == 0 && (matched != nil || program.isAnchoredAtStart || position >= input.count) {
                break
            }
            let scalar: Unicode.Scalar? = position < input.count ? input[position] : nil
            var folded: Unicode.Scalar?
            threads: for index in 0..<current.count {
                let pc = current.dense[index]
                let accepts: Bool
                switch program.instructions[pc] {
                case .match:
                    if stopAtFirstMatch { return [] }
                    matched = Array(current.slots[(pc * slotCount)..<((pc + 1) * slotCount)])
                    // Threads after this one have lower priority than the match just found.
                    break threads
                case .scalar(let expected):
                    accepts = scalar == expected
                case .foldedScalar(let expected):
                    guard let scalar else { continue }
                    if folded == nil { folded = RegexCaseFolding.fold(scalar) }
                    accepts = folded == expected
                case .anyScalar:
                    accepts = scalar != nil
                case .anyScalarExceptNewline:
                    accepts = scalar != nil && scalar != "\n"
                case .characterClass(let index, let asciiLow, let asciiHigh):
                    guard let scalar else { continue }
                    let value = scalar.value
                    if value < 64 {
                        accepts = asciiLow >> UInt64(value) & 1 == 1
                    } else if value < 0x80 {
                        accepts = asciiHigh >> UInt64(value - 64) & 1 == 1
                    } else {
                        accepts = program.classes[index].contains(scalar)
                    }
                case .assertion, .split, .jump, .save:
                    continue
                }
                guard accepts else { continue }
                for slot in 0..<slotCount { scratch[slot] = current.slots[pc * slotCount + slot] }
                addThread(to: &next, pc: pc + 1, at: position + 1)
            }
            // Each thread costs its step and, when it moves on, a copy of its slots.
            remainingSteps -= current.count + next.count * (1 + slotCount / 4)
            guard remainingSteps >= 0 else { throw RegularExpression.StepLimitExceeded() }
            swap(&current, &next)
            next.count = 0
            if position >= input.count { break }
            position += 1
        }
        return matched
    }

    /// Adds the thread at `pc` and everything it reaches without consuming input, in priority order, with the
    /// capture slots in `scratch`; `scratch` is left as it was.
    private mutating func addThread(to list: inout ThreadList, pc start: Int, at position: Int) {
        work.append(.explore(start))
        while let item = work.popLast() {
            var pc: Int
            switch item {
            case .restore(let slot, let value):
                scratch[slot] = value
                continue
            case .explore(let target):
                pc = target
            }
            following: while !list.contains(pc) {
                list.insert(pc)
                switch program.instructions[pc] {
                case .jump(let target):
                    pc = target
                case .split(let preferred, let other):
                    work.append(.explore(other))
                    pc = preferred
                case .save(let slot):
                    if slot < slotCount {
                        work.append(.restore(slot: slot, value: scratch[slot]))
                        scratch[slot] = position
                    }
                    pc += 1
                case .assertion(let assertion):
                    let before = position > 0 ? input[position - 1] : nil
                    let after = position < input.count ? input[position] : nil
                    guard assertion.holds(before: before, after: after) else { break following }
                    pc += 1
                case .match, .scalar, .foldedScalar, .anyScalar, .anyScalarExceptNewline, .characterClass:
                    for slot in 0..<slotCount { list.slots[pc * slotCount + slot] = scratch[slot] }
                    break following
                }
            }
        }
    }
}
