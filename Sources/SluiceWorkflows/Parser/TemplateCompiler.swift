import OrderedCollections

/// Turns source nodes into values and templates, parsing every `${}` once.
enum TemplateCompiler {
    /// The longest expression text accepted between `${` and `}`.
    static let maximumExpressionLength = 400

    /// The literal value of a plain or quoted scalar, by the YAML core schema.
    static func scalarValue(_ text: String, plain: Bool) -> WorkflowValue {
        guard plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let int = Int64(text) { return .int(int) }
        if text.hasPrefix("0x"), let int = Int64(text.dropFirst(2), radix: 16) { return .int(int) }
        if text.hasPrefix("0o"), let int = Int64(text.dropFirst(2), radix: 8) { return .int(int) }
        let numeric = text.unicodeScalars.allSatisfy { "0123456789.eE+-".unicodeScalars.contains($0) }
        if numeric, text.unicodeScalars.contains(where: { ("0"..."9").contains($0) }), let double = Double(text) {
            return .double(double)
        }
        return .string(text)
    }

    /// The expression inside a whole-scalar `${...}`, or nil when the text is not an expression.
    static func expressionText(_ text: String) -> Substring? {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count >= 3 else { return nil }
        return text.dropFirst(2).dropLast()
    }

    /// Parses expression text, reporting errors at the node's position.
    static func parseExpression(_ text: Substring, at node: SourceNode, path: String) throws(WorkflowValidationError)
        -> Expression
    {
        guard text.count <= maximumExpressionLength else {
            throw WorkflowValidationError(
                "expression is \(text.count) characters long; the limit is \(maximumExpressionLength)",
                path: path, line: node.line, column: node.column)
        }
        do {
            return try ExpressionParser.parse(String(text))
        } catch {
            throw WorkflowValidationError(
                "invalid expression '\(text)': \(error.message)", path: path, line: node.line,
                column: node.column + 2 + error.offset)
        }
    }

    /// The template for a node: literal when no `${}` appears inside it.
    static func template(_ node: SourceNode, path: String) throws(WorkflowValidationError) -> ValueTemplate {
        switch node.content {
        case .scalar(let text, let plain):
            if let expression = expressionText(text) {
                return .expression(try parseExpression(expression, at: node, path: path))
            }
            return .literal(scalarValue(text, plain: plain))
        case .sequence(let items):
            var templates: [ValueTemplate] = []
            var allLiteral = true
            for item in items {
                let template = try template(item, path: path)
                if template.literalValue == nil { allLiteral = false }
                templates.append(template)
            }
            if allLiteral { return .literal(.list(templates.map { $0.literalValue! })) }
            return .list(templates)
        case .mapping(let pairs):
            var entries: [(key: ValueTemplate.KeyTemplate, value: ValueTemplate)] = []
            var allLiteral = true
            for (keyNode, valueNode) in pairs {
                guard case .scalar(let keyText, _) = keyNode.content else {
                    throw WorkflowValidationError(
                        "map keys must be scalars", path: path, line: keyNode.line, column: keyNode.column)
                }
                let key: ValueTemplate.KeyTemplate
                if let expression = expressionText(keyText) {
                    key = .expression(try parseExpression(expression, at: keyNode, path: path))
                    allLiteral = false
                } else {
                    key = .text(keyText)
                }
                let value = try template(valueNode, path: path)
                if value.literalValue == nil { allLiteral = false }
                entries.append((key, value))
            }
            if allLiteral {
                var map = OrderedDictionary<String, WorkflowValue>()
                for entry in entries {
                    if case .text(let key) = entry.key { map[key] = entry.value.literalValue! }
                }
                return .literal(.map(map))
            }
            return .map(entries)
        }
    }

    /// The plain value of a node that may not hold expressions (params defaults are templates instead).
    static func literal(_ node: SourceNode) -> WorkflowValue {
        switch node.content {
        case .scalar(let text, let plain): return scalarValue(text, plain: plain)
        case .sequence(let items): return .list(items.map(literal))
        case .mapping(let pairs):
            var map = OrderedDictionary<String, WorkflowValue>()
            for (key, value) in pairs { map[key.scalarText ?? ""] = literal(value) }
            return .map(map)
        }
    }
}
