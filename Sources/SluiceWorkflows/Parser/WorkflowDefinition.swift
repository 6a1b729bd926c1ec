import OrderedCollections

/// A loaded, validated workflow definition: routines and their steps, with every expression parsed.
/// Immutable, so one definition can drive any number of executions on any thread.
public struct WorkflowDefinition: Sendable {
    /// The routines by name; `main` is always present.
    public let routines: [String: Routine]
    /// Every block of steps, addressed by index so interpreter state can refer to them in snapshots.
    let blocks: [Block]

    init(routines: [String: Routine], blocks: [Block]) {
        self.routines = routines
        self.blocks = blocks
    }

    /// Loads and validates YAML or JSON source text.
    public init(source: String) throws(WorkflowValidationError) {
        self = try DefinitionParser.parse(source: source)
    }

    /// Whether any routine has a step of this name, at any depth.
    public func hasStep(named name: String) -> Bool {
        blocks.contains { $0.positions[name] != nil }
    }

    /// A routine: `main` or a subworkflow.
    public struct Routine: Sendable {
        /// The routine's name.
        public let name: String
        /// Its parameters, in declaration order.
        public let params: [Param]
        let body: Int
    }

    /// One parameter, with a default value when it has one.
    public struct Param: Sendable {
        /// The parameter name.
        public let name: String
        /// The default used when a caller omits it.
        public let defaultValue: ValueTemplate?
    }
}

/// A sequence of steps with an index from step name to position.
struct Block: Sendable {
    var steps: [Step]
    var positions: [String: Int]
}

/// One step of a block.
struct Step: Sendable {
    var name: String
    var kind: StepKind
    var next: Jump?
    var line: Int
    var column: Int
}

/// Where `next` goes.
enum Jump: Sendable, Hashable {
    case end, breakLoop, continueLoop
    case step(String)
}

/// What a step does.
enum StepKind: Sendable {
    case assign([Assignment])
    case call(CallStep)
    case switchStep([SwitchCase])
    case forLoop(ForLoop)
    case parallel(ParallelStep)
    case tryStep(TryStep)
    case raise(ValueTemplate)
    case returnValue(ValueTemplate)
    case steps(Int)
    case jumpOnly
}

/// `target: value` inside an assign step.
struct Assignment: Sendable {
    var variable: String
    var path: [PathComponent]
    var value: ValueTemplate
}

/// A `.key` or `[expr]` after the variable on the left of an assignment.
enum PathComponent: Sendable {
    case key(String)
    case index(Expression)
}

/// `call:` with `args:` and `result:`.
struct CallStep: Sendable {
    var function: String
    var arguments: [(name: String, value: ValueTemplate)]
    var result: String?
}

/// One `condition:` of a switch with what it runs.
struct SwitchCase: Sendable {
    var condition: ValueTemplate
    var block: Int?
    var next: Jump?
}

/// A `for:` loop (also the body of a parallel for).
struct ForLoop: Sendable {
    enum Source: Sendable {
        case list(ValueTemplate)
        case range(ValueTemplate)
    }
    var value: String
    var index: String?
    var source: Source
    var body: Int
}

/// A `parallel:` step.
struct ParallelStep: Sendable {
    enum Work: Sendable {
        case branches([(name: String, block: Int)])
        case loop(ForLoop)
    }
    var shared: [String]
    var concurrencyLimit: ValueTemplate?
    var continueAll: Bool
    var work: Work
}

/// A `try:` step with optional retry and except.
struct TryStep: Sendable {
    var body: Int
    var retry: RetryPolicy?
    var exceptAs: String?
    var exceptBlock: Int?
}

/// A retry policy: a predicate and backoff, as a builtin policy or a map.
struct RetryPolicy: Sendable {
    enum Predicate: Sendable, Hashable {
        case builtin(String)
        case subworkflow(String)
    }
    var predicate: Predicate
    var maxRetries: ValueTemplate
    var initialDelay: ValueTemplate
    var maxDelay: ValueTemplate
    var multiplier: ValueTemplate
}
