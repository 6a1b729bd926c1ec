import OrderedCollections

/// A value written in a definition: a literal, one `${}` expression, or a list or map holding expressions somewhere.
public indirect enum ValueTemplate: Sendable {
    case literal(WorkflowValue)
    case expression(Expression)
    case list([ValueTemplate])
    case map([(key: KeyTemplate, value: ValueTemplate)])

    /// A map key: fixed text, or a `${}` expression that must give a string.
    public enum KeyTemplate: Sendable {
        case text(String)
        case expression(Expression)
    }

    /// Whether the template is a literal needing no evaluation.
    var literalValue: WorkflowValue? {
        if case .literal(let value) = self { return value }
        return nil
    }
}
