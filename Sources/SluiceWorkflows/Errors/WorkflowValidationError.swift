import OrderedCollections

/// A deploy-time problem with a definition, with its place in the source when known.
public struct WorkflowValidationError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What is wrong, worded like GCP's deploy errors.
    public var message: String
    /// 1-based line in the YAML or JSON source, when known.
    public var line: Int?
    /// 1-based column in the source, when known.
    public var column: Int?
    /// Where in the definition: routine and step names, e.g. `main.steps.init.assign`.
    public var path: String

    /// Creates a validation error.
    public init(_ message: String, path: String = "", line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = ""
        if let line { text += "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": " }
        if !path.isEmpty { text += "\(path): " }
        return text + message
    }

    /// The error map the CLI prints for a definition that does not deploy.
    public var errorMap: WorkflowValue {
        var map: WorkflowValue = .object([
            "message": .string(description), "tags": .list([.string("ValidationError")]),
        ])
        if case .map(var m) = map {
            if let line { m["line"] = .int(Int64(line)) }
            if let column { m["column"] = .int(Int64(column)) }
            map = .map(m)
        }
        return map
    }
}
