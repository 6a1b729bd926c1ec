import OrderedCollections

/// Steps: one primary keyword per step, with the keys that may go with it.
extension DefinitionParser {
    static let maximumAssignments = 50
    static let maximumConditions = 50
    static let maximumBranches = 10

    /// Parses a list of steps into a new block and returns its index.
    mutating func parseBlock(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> Int {
        guard case .sequence(let items) = node.content else {
            throw WorkflowValidationError(
                "'steps' must be a list, found \(node.kindName)", path: path, line: node.line, column: node.column)
        }
        guard !items.isEmpty else {
            throw WorkflowValidationError("'steps' must not be empty", path: path, line: node.line, column: node.column)
        }
        var steps: [Step] = []
        var positions: [String: Int] = [:]
        for item in items {
            guard case .mapping(let pairs) = item.content, pairs.count == 1, let name = pairs[0].key.scalarText else {
                throw WorkflowValidationError(
                    "each step must be a map with exactly one key, the step name", path: path, line: item.line,
                    column: item.column)
            }
            guard !Self.reservedStepNames.contains(name) else {
                throw WorkflowValidationError(
                    "'\(name)' is a reserved word and cannot name a step", path: path, line: item.line,
                    column: item.column)
            }
            guard positions[name] == nil else {
                throw WorkflowValidationError(
                    "duplicate step name '\(name)'", path: path, line: pairs[0].key.line, column: pairs[0].key.column)
            }
            positions[name] = steps.count
            stepNames[currentRoutine, default: []].insert(name)
            steps.append(try parseStep(name: name, body: pairs[0].value, path: path + "." + name))
        }
        blocks.append(Block(steps: steps, positions: positions))
        return blocks.count - 1
    }

    /// Wraps one inline step body (in try, switch conditions) as a block of one step.
    mutating func inlineBlock(name: String, body: SourceNode, path: String) throws(WorkflowValidationError) -> Int {
        let step = try parseStep(name: name, body: body, path: path)
        blocks.append(Block(steps: [step], positions: [name: 0]))
        return blocks.count - 1
    }

    /// Compiles a value, recording the functions its expressions call.
    mutating func compile(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> ValueTemplate {
        let template = try TemplateCompiler.template(node, path: path)
        record(template, node: node, path: path)
        return template
    }

    private mutating func record(_ template: ValueTemplate, node: SourceNode, path: String) {
        switch template {
        case .literal: break
        case .expression(let expression):
            var names: [String] = []
            expression.calledFunctions(into: &names)
            for name in names { calls.append((name, node, path)) }
        case .list(let items): for item in items { record(item, node: node, path: path) }
        case .map(let entries):
            for entry in entries {
                if case .expression(let key) = entry.key { record(.expression(key), node: node, path: path) }
                record(entry.value, node: node, path: path)
            }
        }
    }

    mutating func parseJump(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> Jump {
        guard let target = node.scalarText else {
            throw WorkflowValidationError(
                "'next' must be a step name", path: path, line: node.line, column: node.column)
        }
        switch target {
        case "end": return .end
        case "break": return .breakLoop
        case "continue": return .continueLoop
        default:
            jumps.append((currentRoutine, target, node, path))
            return .step(target)
        }
    }

    private static let primaryKeys = ["assign", "call", "switch", "for", "parallel", "try", "raise", "return", "steps"]
    private static let companionKeys: [String: Set<String>] = [
        "assign": ["assign", "next"], "call": ["call", "args", "result", "next"], "switch": ["switch", "next"],
        "for": ["for", "next"], "parallel": ["parallel", "next"], "try": ["try", "retry", "except", "next"],
        "raise": ["raise"], "return": ["return"], "steps": ["steps", "next"], "next": ["next"],
    ]

    mutating func parseStep(name: String, body: SourceNode, path: String) throws(WorkflowValidationError) -> Step {
        guard case .mapping(let pairs) = body.content else {
            throw WorkflowValidationError(
                "step '\(name)' must be a map, found \(body.kindName)", path: path, line: body.line,
                column: body.column)
        }
        let keys = pairs.compactMap { $0.key.scalarText }
        let primaries = Self.primaryKeys.filter { keys.contains($0) }
        guard primaries.count <= 1 else {
            throw WorkflowValidationError(
                "step '\(name)' has more than one of \(primaries.joined(separator: ", "))", path: path,
                line: body.line, column: body.column)
        }
        let primary = primaries.first ?? "next"
        try Self.checkKeys(body, allowed: Self.companionKeys[primary]!, path: path)
        let next = try body.value(forKey: "next").map { node throws(WorkflowValidationError) in
            try parseJump(node, path: path)
        }
        guard let value = body.value(forKey: primary) else {
            throw WorkflowValidationError(
                "step '\(name)' is empty: it needs one of \(Self.primaryKeys.joined(separator: ", ")) or next",
                path: path, line: body.line, column: body.column)
        }
        let kind: StepKind
        switch primary {
        case "assign": kind = .assign(try parseAssign(value, path: path))
        case "call": kind = .call(try parseCall(body, path: path))
        case "switch": kind = .switchStep(try parseSwitch(value, name: name, path: path))
        case "for": kind = .forLoop(try parseFor(value, path: path + ".for"))
        case "parallel": kind = .parallel(try parseParallel(value, path: path + ".parallel"))
        case "try": kind = .tryStep(try parseTry(body, name: name, path: path))
        case "raise": kind = .raise(try compile(value, path: path + ".raise"))
        case "return": kind = .returnValue(try compile(value, path: path + ".return"))
        case "steps": kind = .steps(try parseBlock(value, path: path + ".steps"))
        default: kind = .jumpOnly
        }
        return Step(name: name, kind: kind, next: next, line: body.line, column: body.column)
    }

    private mutating func parseAssign(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> [Assignment]
    {
        guard case .sequence(let items) = node.content, !items.isEmpty else {
            throw WorkflowValidationError(
                "'assign' must be a non-empty list", path: path, line: node.line, column: node.column)
        }
        guard items.count <= Self.maximumAssignments else {
            throw WorkflowValidationError(
                "assign step has \(items.count) assignments; the limit is \(Self.maximumAssignments)", path: path,
                line: node.line, column: node.column)
        }
        var assignments: [Assignment] = []
        for item in items {
            guard case .mapping(let pairs) = item.content, pairs.count == 1, let target = pairs[0].key.scalarText
            else {
                throw WorkflowValidationError(
                    "each assignment must be a single 'name: value' map", path: path, line: item.line,
                    column: item.column)
            }
            let (variable, components) = try parseTarget(target, node: pairs[0].key, path: path)
            assignments.append(
                Assignment(variable: variable, path: components, value: try compile(pairs[0].value, path: path)))
        }
        return assignments
    }

    /// Parses `a`, `a.b`, `a["k"]`, `a[i + 1].c` on the left of an assignment.
    mutating func parseTarget(_ text: String, node: SourceNode, path: String) throws(WorkflowValidationError)
        -> (String, [PathComponent])
    {
        let source = TemplateCompiler.expressionText(text).map(String.init) ?? text
        let expression = try TemplateCompiler.parseExpression(Substring(source), at: node, path: path)
        var components: [PathComponent] = []
        var current = expression
        while true {
            switch current {
            case .variable(let name):
                return (name, components.reversed())
            case .member(let base, let key):
                components.append(.key(key))
                current = base
            case .index(let base, let key):
                components.append(.index(key))
                record(.expression(key), node: node, path: path)
                current = base
            default:
                throw WorkflowValidationError(
                    "cannot assign to '\(text)'", path: path, line: node.line, column: node.column)
            }
        }
    }

    private mutating func parseCall(_ body: SourceNode, path: String) throws(WorkflowValidationError) -> CallStep {
        guard let function = body.value(forKey: "call")?.scalarText else {
            throw WorkflowValidationError("'call' must name a function", path: path, line: body.line)
        }
        let callNode = body.value(forKey: "call")!
        calls.append((function, callNode, path))
        var arguments: [(name: String, value: ValueTemplate)] = []
        if let args = body.value(forKey: "args") {
            guard case .mapping(let pairs) = args.content else {
                throw WorkflowValidationError("'args' must be a map", path: path, line: args.line, column: args.column)
            }
            for (key, value) in pairs {
                arguments.append((key.scalarText ?? "", try compile(value, path: path + ".args")))
            }
        }
        let result = body.value(forKey: "result")?.scalarText
        return CallStep(function: function, arguments: arguments, result: result)
    }

    private mutating func parseSwitch(_ node: SourceNode, name: String, path: String) throws(WorkflowValidationError)
        -> [SwitchCase]
    {
        guard case .sequence(let items) = node.content, !items.isEmpty else {
            throw WorkflowValidationError(
                "'switch' must be a non-empty list of conditions", path: path, line: node.line, column: node.column)
        }
        guard items.count <= Self.maximumConditions else {
            throw WorkflowValidationError(
                "switch has \(items.count) conditions; the limit is \(Self.maximumConditions)", path: path,
                line: node.line, column: node.column)
        }
        var cases: [SwitchCase] = []
        for item in items {
            try Self.checkKeys(
                item, allowed: ["condition", "next", "steps", "assign", "call", "args", "result", "raise", "return"],
                path: path + ".switch")
            guard let conditionNode = item.value(forKey: "condition") else {
                throw WorkflowValidationError(
                    "each switch entry needs a 'condition'", path: path, line: item.line, column: item.column)
            }
            let condition = try compile(conditionNode, path: path + ".condition")
            let next = try item.value(forKey: "next").map { node throws(WorkflowValidationError) in
                try parseJump(node, path: path)
            }
            var block: Int?
            if let steps = item.value(forKey: "steps") {
                block = try parseBlock(steps, path: path + ".steps")
            } else if case .mapping(let pairs) = item.content,
                pairs.contains(where: { ["assign", "call", "raise", "return"].contains($0.key.scalarText ?? "") })
            {
                let inline = SourceNode(
                    content: .mapping(pairs.filter { !["condition", "next"].contains($0.key.scalarText ?? "") }),
                    line: item.line, column: item.column)
                block = try inlineBlock(name: name, body: inline, path: path)
            }
            cases.append(SwitchCase(condition: condition, block: block, next: next))
        }
        return cases
    }
}
