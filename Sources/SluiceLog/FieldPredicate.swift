public import SluiceCore

/// A condition on one field of an event's data or metadata, such as `data.objectId = 'x.png'`.
public struct FieldPredicate: Sendable, Hashable, CustomStringConvertible {
    /// Which part of the event the path starts in.
    public enum Root: String, Sendable, Hashable {
        /// The event's JSON data.
        case data
        /// The event's metadata: `correlationId`, `causationId`, `principal`, or a free key.
        case metadata
    }

    /// How the field is compared with the value.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// A JSON scalar to compare with.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case string(String)
        case integer(Int64)
        case double(Double)
        case bool(Bool)
        case null

        public var description: String {
            switch self {
            case .string(let text): "'" + text.replacingAll("'", with: "''") + "'"
            case .integer(let number): String(number)
            case .double(let number): String(number)
            case .bool(let flag): String(flag)
            case .null: "null"
            }
        }
    }

    /// Where the path starts.
    public var root: Root
    /// The keys below the root, such as `["objectId"]` or `["object", "size"]`.
    public var path: [String]
    /// The comparison.
    public var comparison: Comparison
    /// The value compared with.
    public var value: Value

    /// Creates a predicate after checking that the path is usable.
    public init(root: Root, path: [String], comparison: Comparison, value: Value) throws(SluiceError) {
        guard !path.isEmpty, path.allSatisfy(Self.isValidKey) else {
            throw SluiceError(
                .invalidArgument, "a field path needs keys of letters, digits, '_' or '-' after \(root.rawValue).")
        }
        if case .null = value, comparison != .equal, comparison != .notEqual {
            throw SluiceError(.invalidArgument, "null can only be compared with = or !=")
        }
        self.root = root
        self.path = path
        self.comparison = comparison
        self.value = value
    }

    /// Whether a key may appear in a path; keeping keys simple keeps them safe to embed in a JSON path.
    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 128
            && key.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
            }
    }

    public var description: String {
        "\(root.rawValue).\(path.joined(separator: ".")) \(comparison.rawValue) \(value)"
    }
}

extension String {
    /// Replaces every occurrence of `target` without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
