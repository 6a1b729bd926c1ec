/// Field names as proto3 JSON parsers take them: the lowerCamelCase JSON name, or the proto's own
/// snake_case name (`ackDeadlineSeconds` or `ack_deadline_seconds`). Google's REST front ends
/// accept both, so a client that writes the proto names has its fields applied, not ignored.
enum ProtoJSONNames {
    /// The JSON name of a proto field name: each `_` dropped and the letter after it capitalized.
    static func lowerCamelCase(_ name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: "_")) else { return name }
        var result = ""
        var upper = false
        for character in name {
            if character == "_" {
                upper = true
            } else {
                result += upper ? character.uppercased() : String(character)
                upper = false
            }
        }
        return result
    }

    /// `object` (a request message) with every field named by its JSON name, in nested messages
    /// too. The values of `mapFields` are maps keyed by user text (labels, attributes), whose
    /// keys stay as they are. A field given under both of its names is INVALID_ARGUMENT, as the
    /// proto3 JSON parser refuses it.
    static func normalized(_ object: [String: Any], mapFields: Set<String>) throws -> [String: Any] {
        var result: [String: Any] = [:]
        for (name, value) in object {
            let field = lowerCamelCase(name)
            guard result[field] == nil else {
                throw GoogleErrorResponse.invalidArgument("the request gives field \(field) twice (as \(name) too)")
            }
            result[field] = mapFields.contains(field) ? value : try normalized(value, mapFields: mapFields)
        }
        return result
    }

    private static func normalized(_ value: Any, mapFields: Set<String>) throws -> Any {
        if let object = value as? [String: Any] { return try normalized(object, mapFields: mapFields) }
        if let list = value as? [Any] { return try list.map { try normalized($0, mapFields: mapFields) } }
        return value
    }
}
