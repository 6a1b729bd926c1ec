internal import Foundation
import SluiceCore

/// Encodes and decodes event payloads as the log stores them: compact JSON with sorted keys, so
/// the same fact always has the same bytes.
enum EventCoding {
    /// Encodes a payload and seeds ``DecodedPayloads`` with it, so this process's own readers of
    /// the event take the value instead of decoding the text. That is only right when decoding
    /// the text gives back an equal value; debug builds (the test suite) check it at every call.
    static func encode<T: Codable & Sendable & Equatable>(_ payload: T) -> String {
        let text: String
        do {
            text = try SortedJSONEncoder.encode(payload)
        } catch {
            preconditionFailure("resource payloads are plain Codable values and always encode: \(error)")
        }
        return remember(payload, as: text)
    }

    /// ``encode(_:)`` for a payload whose text was written by hand: debug builds check that the
    /// text is exactly what the encoder writes, and that it decodes to the payload.
    static func encode<T: Codable & Sendable & Equatable>(_ payload: T, writtenAs text: String) -> String {
        assert(
            (try? SortedJSONEncoder.encode(payload)) == text,
            "\(T.self)'s hand-written JSON differs from its encoding: \(text)"
        )
        return remember(payload, as: text)
    }

    private static func remember<T: Codable & Sendable & Equatable>(_ payload: T, as text: String) -> String {
        assert(
            (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) == payload,
            "\(T.self) does not decode from its own encoding \(text)"
        )
        DecodedPayloads.shared.remember(payload, text: text)
        return text
    }

    /// Decodes an event's payload; a text decoded before comes from ``DecodedPayloads``.
    static func decode<T: Decodable & Sendable>(_ type: T.Type, from event: RecordedEvent) throws(SluiceError) -> T {
        try DecodedPayloads.shared.payload(T.self, text: event.data) { () throws(SluiceError) -> T in
            try decodeGenerically(T.self, from: event)
        }
    }

    /// ``decode(_:from:)`` for a payload with a hand-written decoder (`decodeStored`), which reads
    /// what its hand-written encoder writes; any text it gives up on goes to the generic decoder.
    /// Debug builds (the test suite) check that both decoders agree at every call.
    static func decode<T: Decodable & Sendable & Equatable>(
        _ type: T.Type, from event: RecordedEvent, decodeStored: (String) -> T?
    ) throws(SluiceError) -> T {
        try DecodedPayloads.shared.payload(T.self, text: event.data) { () throws(SluiceError) -> T in
            guard let decoded = decodeStored(event.data) else { return try decodeGenerically(T.self, from: event) }
            assert(
                (try? JSONDecoder().decode(T.self, from: Data(event.data.utf8))) == decoded,
                "\(T.self)'s hand-written decoder reads \(event.data) differently"
            )
            return decoded
        }
    }

    private static func decodeGenerically<T: Decodable>(_ type: T.Type, from event: RecordedEvent)
        throws(SluiceError) -> T
    {
        do {
            return try JSONDecoder().decode(T.self, from: Data(event.data.utf8))
        } catch {
            throw SluiceError(
                .corruptStore,
                "event \(event.id) (\(event.type)) at position \(event.position) does not decode",
                cause: DecodingFailure(description: String(describing: error))
            )
        }
    }

    static func unknownType(_ event: RecordedEvent) -> SluiceError {
        SluiceError(.corruptStore, "event \(event.id) at position \(event.position) has unknown type \(event.type)")
    }
}

/// A decoder's complaint, kept as text so the error stays `Sendable`.
struct DecodingFailure: Error, Sendable, CustomStringConvertible {
    var description: String
}
