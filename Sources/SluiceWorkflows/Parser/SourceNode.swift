import OrderedCollections
import Yams

/// A node of the definition's YAML or JSON tree with its source position.
struct SourceNode: Sendable {
    enum Content: Sendable {
        case scalar(String, plain: Bool)
        case sequence([SourceNode])
        case mapping([(key: SourceNode, value: SourceNode)])
    }

    var content: Content
    var line: Int
    var column: Int

    /// The most nested lists and maps a definition may have.
    static let maximumDepth = 128
    /// The most nodes a definition may have (it also stops alias expansion bombs).
    static let maximumNodes = 200_000

    /// Reads YAML (and so JSON, which is a subset of YAML 1.2 flow style) into a tree with positions.
    static func load(_ source: String) throws(WorkflowValidationError) -> SourceNode {
        try SourceShapeCheck.check(source)
        let root: Node?
        do {
            root = try Yams.compose(yaml: source)
        } catch let error as YamlError {
            throw Self.describe(error)
        } catch {
            throw WorkflowValidationError("could not parse the definition: \(error)")
        }
        guard let root else { throw WorkflowValidationError("the definition is empty") }
        var budget = maximumNodes
        return try convert(root, depth: 0, budget: &budget)
    }

    private static func describe(_ error: YamlError) -> WorkflowValidationError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return WorkflowValidationError("YAML syntax error: \(problem)", line: mark.line, column: mark.column)
        default:
            return WorkflowValidationError("YAML syntax error: \(error)")
        }
    }

    private static func convert(_ node: Node, depth: Int, budget: inout Int) throws(WorkflowValidationError)
        -> SourceNode
    {
        budget -= 1
        let line = node.mark?.line ?? 0
        let column = node.mark?.column ?? 0
        guard budget > 0 else {
            throw WorkflowValidationError("the definition has more than \(maximumNodes) nodes", line: line)
        }
        guard depth < maximumDepth else {
            throw WorkflowValidationError(
                "the definition is nested deeper than \(maximumDepth) levels", line: line, column: column)
        }
        switch node {
        case .scalar(let scalar):
            return SourceNode(
                content: .scalar(
                    scalar.string, plain: scalar.style == .plain && scalar.tag.description != "tag:yaml.org,2002:str"),
                line: line, column: column)
        case .sequence(let sequence):
            var items: [SourceNode] = []
            for item in sequence { items.append(try convert(item, depth: depth + 1, budget: &budget)) }
            return SourceNode(content: .sequence(items), line: line, column: column)
        case .mapping(let mapping):
            var pairs: [(key: SourceNode, value: SourceNode)] = []
            for (key, value) in mapping {
                pairs.append(
                    (
                        try convert(key, depth: depth + 1, budget: &budget),
                        try convert(value, depth: depth + 1, budget: &budget)
                    ))
            }
            return SourceNode(content: .mapping(pairs), line: line, column: column)
        case .alias:
            throw WorkflowValidationError("unresolved YAML alias", line: line, column: column)
        }
    }

    /// The scalar text, if this is a scalar.
    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The value of a mapping key, for mappings.
    func value(forKey key: String) -> SourceNode? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.first { $0.key.scalarText == key }?.value
    }

    /// A short name of the node's kind for messages.
    var kindName: String {
        switch content {
        case .scalar: "a scalar"
        case .sequence: "a list"
        case .mapping: "a map"
        }
    }
}

/// Cheap checks on raw text that keep hostile nesting away from the recursive YAML composer.
enum SourceShapeCheck {
    /// The largest definition GCP accepts.
    static let maximumSourceBytes = 128 * 1024

    static func check(_ source: String) throws(WorkflowValidationError) {
        let utf8 = source.utf8
        guard utf8.count <= maximumSourceBytes else {
            throw WorkflowValidationError(
                "the definition is \(utf8.count) bytes; the limit is \(maximumSourceBytes) bytes")
        }
        // Flow depth is counted conservatively: quotes are only honoured inside flow collections, so text can
        // make the count too high (a spurious rejection) but never too low.
        var flowDepth = 0
        var quote: UInt8 = 0
        var escaped = false
        var lineStart = true
        var indent = 0
        var markers = 0
        var line = 1
        for byte in utf8 {
            if quote != 0 {
                if byte == 0x0A { line += 1 }
                if escaped {
                    escaped = false
                } else if quote == UInt8(ascii: "\"") && byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == quote {
                    quote = 0
                }
                continue
            }
            if byte == 0x0A {
                line += 1
                lineStart = true
                indent = 0
                markers = 0
                continue
            }
            if lineStart {
                if byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") {
                    indent += 1
                    if byte != 0x20 { markers += 1 }
                    if indent > 256 || markers > 64 {
                        throw WorkflowValidationError("the definition is nested too deeply", line: line)
                    }
                    continue
                }
                lineStart = false
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if flowDepth > 0 { quote = byte }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flowDepth += 1
                if flowDepth > SourceNode.maximumDepth {
                    throw WorkflowValidationError("the definition is nested too deeply", line: line)
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): flowDepth = max(0, flowDepth - 1)
            default: break
            }
        }
    }
}
