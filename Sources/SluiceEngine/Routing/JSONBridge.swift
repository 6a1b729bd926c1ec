import Foundation
import OrderedCollections
public import SluiceAdapters
public import SluiceWorkflows

/// Converts between the interpreter's values and the adapters' JSON, so adapters need not know
/// the workflow language. Integers become JSON numbers; bytes become base64 text, as the
/// Workflows runtime serialises them.
public enum JSONBridge {
    public static func json(_ value: WorkflowValue) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .number(Double(number))
        case .double(let number): .number(number)
        case .string(let text): .string(text)
        case .bytes(let bytes): .string(Data(bytes).base64EncodedString())
        case .list(let items): .array(items.map(json))
        case .map(let members): .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, json($0.value)) }))
        }
    }

    /// Whole numbers that fit become integers, so `class: 3` stays an int in the workflow.
    /// Object members come out in sorted key order, which keeps results deterministic.
    public static func workflowValue(_ value: JSONValue) -> WorkflowValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let number):
            if number.rounded() == number, abs(number) < 9.007_199_254_740_992e15 { return .int(Int64(number)) }
            return .double(number)
        case .string(let text): return .string(text)
        case .array(let items): return .list(items.map(workflowValue))
        case .object(let members):
            var map = OrderedDictionary<String, WorkflowValue>()
            for key in members.keys.sorted() { map[key] = workflowValue(members[key]!) }
            return .map(map)
        }
    }
}
