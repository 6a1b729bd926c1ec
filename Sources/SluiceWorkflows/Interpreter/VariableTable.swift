/// The variables of one scope. Most scopes hold a handful of names, where a linear scan of small strings beats
/// hashing; past a few entries a dictionary index takes over.
struct VariableTable: Codable, Sendable {
    private var names: [String] = []
    private var values: [WorkflowValue] = []
    private var positions: [String: Int]?

    private static let linearLimit = 8

    init() {}

    init(_ variables: [String: WorkflowValue]) {
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { self[name] = value }
    }

    private func position(of name: String) -> Int? {
        if let positions { return positions[name] }
        for index in names.indices where names[index] == name { return index }
        return nil
    }

    subscript(name: String) -> WorkflowValue? {
        get { position(of: name).map { values[$0] } }
        set {
            guard let newValue else {
                preconditionFailure("variables are never removed from a scope")
            }
            if !update(name, newValue) { append(name, newValue) }
        }
    }

    /// Replaces the value of an existing variable; false when the scope does not hold it.
    mutating func update(_ name: String, _ value: WorkflowValue) -> Bool {
        guard let index = position(of: name) else { return false }
        values[index] = value
        return true
    }

    private mutating func append(_ name: String, _ value: WorkflowValue) {
        names.append(name)
        values.append(value)
        if positions != nil {
            positions![name] = names.count - 1
        } else if names.count > Self.linearLimit {
            var index: [String: Int] = [:]
            for (position, key) in names.enumerated() { index[key] = position }
            positions = index
        }
    }
}
