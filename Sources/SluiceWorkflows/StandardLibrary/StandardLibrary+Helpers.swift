import OrderedCollections

/// Expression helpers: default, keys, len, int, double, string, bool, get_type, if.
extension StandardLibrary {
    static let helpers: [LibraryFunction] = [
        .pure("default", ["value", "default_value"]) { args, _ in
            args.value("value") == .null ? args.value("default_value") : args.value("value")
        },
        .pure("keys", ["map"]) { args, _ throws(WorkflowError) in
            .list(try args.map("map").keys.map { .string($0) })
        },
        .pure("len", ["value"]) { args, _ throws(WorkflowError) in
            switch args.value("value") {
            case .string(let s): return .int(Int64(s.unicodeScalars.count))
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            case .bytes(let b): return .int(Int64(b.count))
            case let other: throw .typeError("len() needs a string, list, map or bytes, not \(other.typeName)")
            }
        },
        .pure("int", ["value"]) { args, _ throws(WorkflowError) in try toInt(args.value("value")) },
        .pure("double", ["value"]) { args, _ throws(WorkflowError) in
            switch args.value("value") {
            case .int(let i): return .double(Double(i))
            case .double(let d): return .double(d)
            case .string(let s):
                guard let d = Double(s.trimmedSpaces), !s.isEmpty else {
                    throw .valueError("cannot convert '\(s)' to a double")
                }
                return .double(d)
            case let other: throw .typeError("double() needs a number or a string, not \(other.typeName)")
            }
        },
        .pure("string", ["value"]) { args, _ throws(WorkflowError) in
            switch args.value("value") {
            case .string(let s): return .string(s)
            case .int(let i): return .string(String(i))
            case .double(let d): return .string(WorkflowValue.formatDouble(d))
            case .bool(let b): return .string(b ? "true" : "false")
            case let other: throw .typeError("string() needs a number, a boolean or a string, not \(other.typeName)")
            }
        },
        .pure("bool", ["value"]) { args, _ throws(WorkflowError) in
            switch args.value("value") {
            case .bool(let b): return .bool(b)
            case .string(let s):
                switch s.lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default: throw .valueError("cannot convert '\(s)' to a boolean")
                }
            case let other: throw .typeError("bool() needs a boolean or a string, not \(other.typeName)")
            }
        },
        .pure("get_type", ["value"]) { args, _ in
            let value = args.value("value")
            return .string(value == .null ? "null" : (value.typeName == "boolean" ? "bool" : value.typeName))
        },
        .pure("if", ["condition", "if_true", "if_false"]) { args, _ throws(WorkflowError) in
            guard case .bool(let condition) = args.value("condition") else {
                throw .typeError("if() needs a boolean condition")
            }
            return condition ? args.value("if_true") : args.value("if_false")
        },
    ]

    static func toInt(_ value: WorkflowValue) throws(WorkflowError) -> WorkflowValue {
        switch value {
        case .int: return value
        case .double(let d):
            guard d.isFinite, d > -9.223372036854775808e18, d < 9.223372036854775808e18 else {
                throw .valueError("cannot convert \(d) to an integer")
            }
            return .int(Int64(d.rounded(.towardZero)))
        case .string(let s):
            if let i = Int64(s.trimmedSpaces) { return .int(i) }
            throw .valueError("cannot convert '\(s)' to an integer")
        case .bool(let b): return .int(b ? 1 : 0)
        default: throw .typeError("int() needs a number or a string, not \(value.typeName)")
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmedSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
