import OrderedCollections

/// Builds a ``WorkflowDefinition`` from source text: both forms, routines, params, then validation.
struct DefinitionParser {
    var blocks: [Block] = []
    var routineNames: Set<String> = []
    /// Step names per routine, to check `next` targets.
    var stepNames: [String: Set<String>] = [:]
    var currentRoutine = ""
    var jumps: [(routine: String, target: String, node: SourceNode, path: String)] = []
    var calls: [(name: String, node: SourceNode, path: String)] = []

    static let reservedStepNames: Set<String> = ["end", "break", "continue"]

    static func parse(source: String) throws(WorkflowValidationError) -> WorkflowDefinition {
        let root = try SourceNode.load(source)
        var parser = DefinitionParser()
        var routines: [String: WorkflowDefinition.Routine] = [:]
        switch root.content {
        case .sequence:
            parser.routineNames = ["main"]
            routines["main"] = try parser.parseRoutine(name: "main", params: nil, steps: root)
        case .mapping(let pairs):
            for (key, _) in pairs {
                guard let name = key.scalarText else {
                    throw WorkflowValidationError("routine names must be strings", line: key.line, column: key.column)
                }
                guard !parser.routineNames.contains(name) else {
                    throw WorkflowValidationError("duplicate subworkflow '\(name)'", line: key.line, column: key.column)
                }
                parser.routineNames.insert(name)
            }
            guard parser.routineNames.contains("main") else {
                throw WorkflowValidationError("missing 'main' workflow", line: root.line, column: root.column)
            }
            for (key, value) in pairs {
                let name = key.scalarText ?? ""
                try Self.checkKeys(value, allowed: ["params", "steps"], path: name)
                guard let steps = value.value(forKey: "steps") else {
                    throw WorkflowValidationError(
                        "workflow '\(name)' has no 'steps'", path: name, line: value.line, column: value.column)
                }
                routines[name] = try parser.parseRoutine(
                    name: name, params: value.value(forKey: "params"), steps: steps)
            }
        case .scalar:
            throw WorkflowValidationError("the definition must be a list of steps or a map of workflows")
        }
        try parser.validateReferences()
        return WorkflowDefinition(routines: routines, blocks: parser.blocks)
    }

    private mutating func parseRoutine(name: String, params: SourceNode?, steps: SourceNode)
        throws(WorkflowValidationError) -> WorkflowDefinition.Routine
    {
        currentRoutine = name
        stepNames[name] = []
        var parsedParams: [WorkflowDefinition.Param] = []
        if let params {
            guard case .sequence(let items) = params.content else {
                throw WorkflowValidationError(
                    "'params' must be a list", path: "\(name).params", line: params.line, column: params.column)
            }
            for item in items {
                switch item.content {
                case .scalar(let paramName, _):
                    parsedParams.append(.init(name: paramName, defaultValue: nil))
                case .mapping(let pairs) where pairs.count == 1:
                    let template = try TemplateCompiler.template(pairs[0].value, path: "\(name).params")
                    parsedParams.append(.init(name: pairs[0].key.scalarText ?? "", defaultValue: template))
                default:
                    throw WorkflowValidationError(
                        "each param must be a name or a single 'name: default' map", path: "\(name).params",
                        line: item.line, column: item.column)
                }
            }
            if name == "main", parsedParams.count > 1 {
                throw WorkflowValidationError(
                    "main workflow can take at most one parameter", path: "main.params", line: params.line,
                    column: params.column)
            }
        }
        let body = try parseBlock(steps, path: name)
        return .init(name: name, params: parsedParams, body: body)
    }

    /// Rejects keys a map may not have, naming the first unknown one.
    static func checkKeys(_ node: SourceNode, allowed: Set<String>, path: String) throws(WorkflowValidationError) {
        guard case .mapping(let pairs) = node.content else {
            throw WorkflowValidationError(
                "expected a map, found \(node.kindName)", path: path, line: node.line, column: node.column)
        }
        var seen: Set<String> = []
        for (key, _) in pairs {
            let text = key.scalarText ?? ""
            guard allowed.contains(text) else {
                throw WorkflowValidationError(
                    "unexpected key '\(text)'; allowed here: \(allowed.sorted().joined(separator: ", "))",
                    path: path, line: key.line, column: key.column)
            }
            guard seen.insert(text).inserted else {
                throw WorkflowValidationError(
                    "duplicate key '\(text)'", path: path, line: key.line, column: key.column)
            }
        }
    }

    private func validateReferences() throws(WorkflowValidationError) {
        for jump in jumps where !(stepNames[jump.routine]?.contains(jump.target) ?? false) {
            throw WorkflowValidationError(
                "next step '\(jump.target)' not found in '\(jump.routine)'", path: jump.path, line: jump.node.line,
                column: jump.node.column)
        }
        for call in calls where !routineNames.contains(call.name) && !StandardLibrary.isKnown(call.name) {
            throw WorkflowValidationError(
                "unknown function or subworkflow '\(call.name)'", path: call.path, line: call.node.line,
                column: call.node.column)
        }
    }
}
