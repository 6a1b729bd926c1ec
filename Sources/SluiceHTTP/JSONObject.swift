public import Hummingbird
import NIOCore
import SluiceCore

/// A small ordered JSON value for API responses whose field order and string-encoded numbers
/// follow Google's REST resources exactly.
public indirect enum JSONField: Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case object(JSONObject)
    case array([JSONField])
    /// JSON text inserted as it is (already valid JSON).
    case raw(String)

    func write(to out: inout String) {
        switch self {
        case .string(let text): JSONText.appendQuoted(text, to: &out)
        case .number(let number):
            out += number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): out += flag ? "true" : "false"
        case .object(let object): object.write(to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .raw(let text): out += text
        }
    }
}

/// An ordered JSON object.
public struct JSONObject: Sendable {
    public var fields: [(String, JSONField)]

    public init(_ fields: KeyValuePairs<String, JSONField>) {
        self.fields = fields.map { ($0.key, $0.value) }
    }

    public mutating func set(_ key: String, _ value: JSONField?) {
        guard let value else { return }
        fields.removeAll { $0.0 == key }
        fields.append((key, value))
    }

    func write(to out: inout String) {
        out += "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { out += "," }
            JSONText.appendQuoted(key, to: &out)
            out += ":"
            value.write(to: &out)
        }
        out += "}"
    }

    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// An `application/json` response holding `object`.
    public static func response(_ object: JSONObject, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(string: object.text))
        )
    }
}
