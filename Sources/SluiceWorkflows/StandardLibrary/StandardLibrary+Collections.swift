import OrderedCollections

/// The `list`, `map` and `math` modules.
extension StandardLibrary {
    static let collections: [LibraryFunction] = [
        .pure("list.concat", ["objs", "val"]) { args, _ throws(WorkflowError) in
            .list(try args.list("objs") + [args.value("val")])
        },
        .pure("list.prepend", ["objs", "val"]) { args, _ throws(WorkflowError) in
            .list([args.value("val")] + (try args.list("objs")))
        },
        .pure("map.get", ["map", "keys", "default"], required: 2) { args, _ throws(WorkflowError) in
            var current = WorkflowValue.map(try args.map("map"))
            let path: [WorkflowValue]
            switch args.value("keys") {
            case .string(let key): path = [.string(key)]
            case .list(let keys): path = keys
            case let other: throw .typeError("map.get keys must be a string or a list, not \(other.typeName)")
            }
            for key in path {
                guard case .string(let name) = key else { throw .typeError("map.get keys must be strings") }
                guard case .map(let map) = current, let next = map[name] else { return args.value("default") }
                current = next
            }
            return current
        },
        .pure("map.delete", ["map", "key"]) { args, _ throws(WorkflowError) in
            var map = try args.map("map")
            map.removeValue(forKey: try args.string("key"))
            return .map(map)
        },
        .pure("map.merge", ["first", "second"]) { args, _ throws(WorkflowError) in
            var map = try args.map("first")
            for (key, value) in try args.map("second") { map[key] = value }
            return .map(map)
        },
        .pure("map.merge_nested", ["first", "second"]) { args, _ throws(WorkflowError) in
            .map(mergeNested(try args.map("first"), try args.map("second")))
        },
        .pure("math.abs", ["x"]) { args, _ throws(WorkflowError) in
            switch args.value("x") {
            case .int(let i):
                guard i != .min else { throw .valueError("integer overflow in math.abs") }
                return .int(abs(i))
            case .double(let d): return .double(abs(d))
            case let other: throw .typeError("math.abs needs a number, not \(other.typeName)")
            }
        },
        .pure("math.floor", ["x"]) { args, _ throws(WorkflowError) in
            switch args.value("x") {
            case .int(let i): return .int(i)
            case .double(let d): return try toInt(.double(d.rounded(.down)))
            case let other: throw .typeError("math.floor needs a number, not \(other.typeName)")
            }
        },
        // A NaN argument gives NaN whichever side it is on (IEEE 754's maximum and minimum, and
        // Java's and JavaScript's Math.max); a comparison alone would give NaN or the other
        // number depending on the order of the arguments.
        .pure("math.max", ["x", "y"]) { args, _ throws(WorkflowError) in
            let (x, y) = (try args.number("x"), try args.number("y"))
            if x.isNaN { return args.value("x") }
            if y.isNaN { return args.value("y") }
            return x >= y ? args.value("x") : args.value("y")
        },
        .pure("math.min", ["x", "y"]) { args, _ throws(WorkflowError) in
            let (x, y) = (try args.number("x"), try args.number("y"))
            if x.isNaN { return args.value("x") }
            if y.isNaN { return args.value("y") }
            return x <= y ? args.value("x") : args.value("y")
        },
        .pure("math.sqrt", ["x"]) { args, _ throws(WorkflowError) in
            let x = try args.number("x")
            guard x >= 0 else { throw .valueError("math.sqrt of a negative number") }
            return .double(x.squareRoot())
        },
    ]

    static func mergeNested(
        _ first: OrderedDictionary<String, WorkflowValue>, _ second: OrderedDictionary<String, WorkflowValue>
    ) -> OrderedDictionary<String, WorkflowValue> {
        var merged = first
        for (key, value) in second {
            if case .map(let inner)? = merged[key], case .map(let other) = value {
                merged[key] = .map(mergeNested(inner, other))
            } else {
                merged[key] = value
            }
        }
        return merged
    }
}
