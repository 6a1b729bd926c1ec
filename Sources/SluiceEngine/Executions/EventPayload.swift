import Foundation
import OrderedCollections
import SluiceCore
import SluiceWorkflows

/// Event data as plain JSON built from workflow values, so audit queries can reach into it
/// (`--where "data.result.predictions[0]..."`), with a lossless fallback for bytes.
enum EventPayload {
    /// JSON text for a map of fields.
    static func encode(_ fields: OrderedDictionary<String, WorkflowValue>) throws(SluiceError) -> String {
        do {
            return try WorkflowValue.map(fields).jsonString()
        } catch {
            throw SluiceError(.internalFailure, "an event payload is not JSON-encodable: \(error.message ?? "")")
        }
    }

    /// The fields of an event's data.
    static func decode(_ event: RecordedEvent) throws(SluiceError) -> OrderedDictionary<String, WorkflowValue> {
        do {
            guard let fields = try JSONReader.parse(event.data).mapValue else {
                throw SluiceError(
                    .corruptStore, "event \(event.position) (\(event.type)) has data that is not an object")
            }
            return fields
        } catch let error as SluiceError {
            throw error
        } catch {
            throw SluiceError(.corruptStore, "event \(event.position) (\(event.type)) has data that is not JSON")
        }
    }

    /// A value as a field: plain JSON when it can be, else the snapshot encoding under `tagged`,
    /// which keeps bytes and the int/double distinction.
    static func storing(_ value: WorkflowValue) -> WorkflowValue {
        if value.isJSONEncodable { return value }
        let data = (try? JSONEncoder().encode(value)) ?? Data("{\"n\":true}".utf8)
        return .object(["tagged": .string(String(decoding: data, as: UTF8.self))])
    }

    /// The inverse of ``storing(_:)``, given whether the field was written tagged.
    static func loading(_ field: WorkflowValue?, tagged: Bool) -> WorkflowValue {
        guard let field else { return .null }
        guard tagged, let text = field["tagged"]?.stringValue,
            let value = try? JSONDecoder().decode(WorkflowValue.self, from: Data(text.utf8))
        else { return field }
        return value
    }

    static func isTagged(_ value: WorkflowValue) -> Bool { !value.isJSONEncodable }
}

extension Error {
    fileprivate var message: String? { (self as? WorkflowError)?.message }
}
