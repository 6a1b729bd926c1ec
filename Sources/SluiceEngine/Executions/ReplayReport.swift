import OrderedCollections
public import SluiceWorkflows

/// What a dry-run replay found: how far the recorded history carries the new revision, and
/// where it stops matching.
public struct ReplayReport: Sendable, Hashable {
    /// The first effect the new revision asks for that the history cannot answer.
    public struct Divergence: Sendable, Hashable {
        public var effectID: String
        public var routine: String
        public var step: String
        public var function: String
        /// Why the recorded result cannot be used.
        public var reason: String
    }

    public var reusableEffects: Int
    /// Nil when the whole run can be answered from the history.
    public var divergence: Divergence?
    /// When the history carries the new revision to its end: how it would end.
    public var ending: ExecutionHistory.Ending?
}

extension ReplayReport {
    /// The report as one JSON object: `reusableEffects`, `divergence` (effect, routine, step,
    /// function, reason) and `wouldSucceedWith` or `wouldFailWith`.
    public var value: WorkflowValue {
        var map: OrderedDictionary<String, WorkflowValue> = ["reusableEffects": .int(Int64(reusableEffects))]
        if let divergence {
            map["divergence"] = .object([
                "effectId": .string(divergence.effectID), "routine": .string(divergence.routine),
                "step": .string(divergence.step), "function": .string(divergence.function),
                "reason": .string(divergence.reason),
            ])
        }
        switch ending {
        case .succeeded(let result)?: map["wouldSucceedWith"] = result
        case .failed(let error)?: map["wouldFailWith"] = error.errorMap
        default: break
        }
        return .map(map)
    }

    /// ``value`` as JSON text.
    public var json: String { (try? value.jsonString()) ?? "{}" }
}
