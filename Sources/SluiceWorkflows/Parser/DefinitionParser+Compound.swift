import OrderedCollections

/// Compound steps: for, parallel, try with retry and except.
extension DefinitionParser {
    mutating func parseFor(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> ForLoop {
        try Self.checkKeys(node, allowed: ["value", "index", "in", "range", "steps"], path: path)
        guard let value = node.value(forKey: "value")?.scalarText else {
            throw WorkflowValidationError("'for' needs a 'value' variable", path: path, line: node.line)
        }
        let index = node.value(forKey: "index")?.scalarText
        let source: ForLoop.Source
        switch (node.value(forKey: "in"), node.value(forKey: "range")) {
        case (let list?, nil): source = .list(try compile(list, path: path + ".in"))
        case (nil, let range?):
            source = .range(try compile(range, path: path + ".range"))
            if index != nil {
                throw WorkflowValidationError("'index' cannot be used with 'range'", path: path, line: node.line)
            }
        default:
            throw WorkflowValidationError("'for' needs exactly one of 'in' or 'range'", path: path, line: node.line)
        }
        guard let steps = node.value(forKey: "steps") else {
            throw WorkflowValidationError("'for' needs 'steps'", path: path, line: node.line)
        }
        return ForLoop(value: value, index: index, source: source, body: try parseBlock(steps, path: path + ".steps"))
    }

    mutating func parseParallel(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> ParallelStep {
        try Self.checkKeys(
            node, allowed: ["exception_policy", "shared", "concurrency_limit", "branches", "for"], path: path)
        var shared: [String] = []
        if let sharedNode = node.value(forKey: "shared") {
            guard case .sequence(let items) = sharedNode.content else {
                throw WorkflowValidationError("'shared' must be a list of variable names", path: path)
            }
            shared = items.compactMap(\.scalarText)
        }
        var continueAll = false
        if let policy = node.value(forKey: "exception_policy")?.scalarText {
            guard policy == "continueAll" || policy == "unhandled" else {
                throw WorkflowValidationError(
                    "exception_policy must be continueAll, not '\(policy)'", path: path, line: node.line)
            }
            continueAll = policy == "continueAll"
        }
        let limit = try node.value(forKey: "concurrency_limit").map { limitNode throws(WorkflowValidationError) in
            try compile(limitNode, path: path + ".concurrency_limit")
        }
        let work: ParallelStep.Work
        switch (node.value(forKey: "branches"), node.value(forKey: "for")) {
        case (let branchesNode?, nil):
            guard case .sequence(let items) = branchesNode.content, !items.isEmpty else {
                throw WorkflowValidationError("'branches' must be a non-empty list", path: path)
            }
            guard items.count <= Self.maximumBranches else {
                throw WorkflowValidationError(
                    "parallel step has \(items.count) branches; the limit is \(Self.maximumBranches)", path: path,
                    line: branchesNode.line, column: branchesNode.column)
            }
            var branches: [(name: String, block: Int)] = []
            for item in items {
                guard case .mapping(let pairs) = item.content, pairs.count == 1, let name = pairs[0].key.scalarText
                else {
                    throw WorkflowValidationError(
                        "each branch must be a single 'name: {steps: ...}' map", path: path, line: item.line)
                }
                try Self.checkKeys(pairs[0].value, allowed: ["steps"], path: path + "." + name)
                guard let steps = pairs[0].value.value(forKey: "steps") else {
                    throw WorkflowValidationError("branch '\(name)' needs 'steps'", path: path, line: item.line)
                }
                branches.append((name, try parseBlock(steps, path: path + "." + name)))
            }
            work = .branches(branches)
        case (nil, let forNode?):
            work = .loop(try parseFor(forNode, path: path + ".for"))
        default:
            throw WorkflowValidationError(
                "'parallel' needs exactly one of 'branches' or 'for'", path: path, line: node.line)
        }
        return ParallelStep(shared: shared, concurrencyLimit: limit, continueAll: continueAll, work: work)
    }

    mutating func parseTry(_ body: SourceNode, name: String, path: String) throws(WorkflowValidationError) -> TryStep {
        let tryNode = body.value(forKey: "try")!
        let block: Int
        if let steps = tryNode.value(forKey: "steps") {
            try Self.checkKeys(tryNode, allowed: ["steps"], path: path + ".try")
            block = try parseBlock(steps, path: path + ".try.steps")
        } else {
            block = try inlineBlock(name: name, body: tryNode, path: path + ".try")
        }
        var retry: RetryPolicy?
        if let retryNode = body.value(forKey: "retry") {
            retry = try parseRetry(retryNode, path: path + ".retry")
        }
        var exceptAs: String?
        var exceptBlock: Int?
        if let exceptNode = body.value(forKey: "except") {
            try Self.checkKeys(exceptNode, allowed: ["as", "steps"], path: path + ".except")
            exceptAs = exceptNode.value(forKey: "as")?.scalarText
            guard let steps = exceptNode.value(forKey: "steps") else {
                throw WorkflowValidationError("'except' needs 'steps'", path: path, line: exceptNode.line)
            }
            exceptBlock = try parseBlock(steps, path: path + ".except.steps")
        }
        if retry == nil && exceptBlock == nil {
            throw WorkflowValidationError("'try' needs 'retry' or 'except'", path: path, line: body.line)
        }
        return TryStep(body: block, retry: retry, exceptAs: exceptAs, exceptBlock: exceptBlock)
    }

    private static let builtinPolicies: [String: String] = [
        "http.default_retry": "http.default_retry_predicate",
        "http.default_retry_non_idempotent": "http.default_retry_predicate_non_idempotent",
    ]
    private static let builtinPredicates: Set<String> = [
        "http.default_retry_predicate", "http.default_retry_predicate_non_idempotent", "retry.always", "retry.never",
    ]

    private mutating func parseRetry(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> RetryPolicy {
        let defaults = (
            max: ValueTemplate.literal(.int(5)), initial: ValueTemplate.literal(.double(1)),
            maxDelay: ValueTemplate.literal(.double(60)), multiplier: ValueTemplate.literal(.double(1.25))
        )
        if let text = node.scalarText {
            let name = TemplateCompiler.expressionText(text).map {
                String($0).trimmedSpaces
            }
            guard let name, let predicate = Self.builtinPolicies[name] else {
                throw WorkflowValidationError(
                    "retry must be ${http.default_retry}, ${http.default_retry_non_idempotent} or a map", path: path,
                    line: node.line, column: node.column)
            }
            return RetryPolicy(
                predicate: .builtin(predicate), maxRetries: defaults.max, initialDelay: defaults.initial,
                maxDelay: defaults.maxDelay, multiplier: defaults.multiplier)
        }
        try Self.checkKeys(node, allowed: ["predicate", "max_retries", "backoff"], path: path)
        var predicate = RetryPolicy.Predicate.builtin("http.default_retry_predicate")
        if let predicateNode = node.value(forKey: "predicate") {
            let text = predicateNode.scalarText ?? ""
            let name = TemplateCompiler.expressionText(text).map { String($0).trimmedSpaces }
            if let name, let builtin = Self.builtinPolicies[name] {
                predicate = .builtin(builtin)
            } else if let name, Self.builtinPredicates.contains(name) {
                predicate = .builtin(name)
            } else if let name, routineNames.contains(name) {
                predicate = .subworkflow(name)
            } else {
                throw WorkflowValidationError(
                    "retry predicate must be a builtin predicate or a subworkflow name, not '\(text)'", path: path,
                    line: predicateNode.line, column: predicateNode.column)
            }
        }
        let backoff = node.value(forKey: "backoff")
        if let backoff {
            try Self.checkKeys(backoff, allowed: ["initial_delay", "max_delay", "multiplier"], path: path + ".backoff")
        }
        func value(_ node: SourceNode?, _ fallback: ValueTemplate) throws(WorkflowValidationError) -> ValueTemplate {
            guard let node else { return fallback }
            return try TemplateCompiler.template(node, path: path)
        }
        let policy = RetryPolicy(
            predicate: predicate, maxRetries: try value(node.value(forKey: "max_retries"), defaults.max),
            initialDelay: try value(backoff?.value(forKey: "initial_delay"), defaults.initial),
            maxDelay: try value(backoff?.value(forKey: "max_delay"), defaults.maxDelay),
            multiplier: try value(backoff?.value(forKey: "multiplier"), defaults.multiplier))
        try Self.checkLiterals(of: policy, path: path, line: node.line)
        return policy
    }

    /// Refuses at deploy time the literal settings no retry can run with: a negative count, a
    /// negative or infinite delay, or a multiplier below 1 (delays that shrink) or infinite.
    /// Settings given as expressions are checked when the retry runs.
    private static func checkLiterals(of policy: RetryPolicy, path: String, line: Int)
        throws(WorkflowValidationError)
    {
        if case .literal(let value) = policy.maxRetries {
            guard case .int(let count) = value, count >= 0 else {
                throw WorkflowValidationError("max_retries must be a non-negative integer", path: path, line: line)
            }
        }
        let delays = [("initial_delay", policy.initialDelay), ("max_delay", policy.maxDelay)]
        for (name, template) in delays {
            guard case .literal(let value) = template else { continue }
            guard let number = value.numberValue, number.isFinite, number >= 0 else {
                throw WorkflowValidationError(
                    "backoff \(name) must be a finite, non-negative number of seconds", path: path + ".backoff",
                    line: line)
            }
        }
        if case .literal(let value) = policy.multiplier {
            guard let number = value.numberValue, number.isFinite, number >= 1 else {
                throw WorkflowValidationError(
                    "backoff multiplier must be a finite number of at least 1", path: path + ".backoff", line: line)
            }
        }
    }
}
