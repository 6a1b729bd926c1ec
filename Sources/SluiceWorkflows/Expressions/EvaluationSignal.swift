public import OrderedCollections

/// Why an evaluation stopped early: a runtime error, or a call the host or interpreter must answer first.
public enum EvaluationSignal: Error, Sendable {
    case failure(WorkflowError)
    case suspend(Suspension)
}

/// A call that evaluation cannot finish by itself: a subworkflow or an effectful function.
public enum Suspension: Sendable, Hashable {
    case subworkflow(name: String, arguments: OrderedDictionary<String, WorkflowValue>)
    case effect(function: String, arguments: OrderedDictionary<String, WorkflowValue>)
}

/// What an expression can see: variables, and a way to call functions.
protocol ExpressionContext {
    /// The value of a variable, or nil when it is not defined.
    func variable(_ name: String) -> WorkflowValue?
    /// Calls a named function with positional arguments.
    mutating func callFunction(_ name: String, _ arguments: [WorkflowValue]) throws(EvaluationSignal) -> WorkflowValue
}
