import Foundation
import SluiceCore

/// A CloudEvents 1.0 event as Sluice hands it to a function: the context attributes and the data
/// as the JSON text it is, so a function sees exactly what Cloud Functions would pass.
public struct CloudEvent: Sendable, Equatable {
    /// Unique per source; for Pub/Sub-triggered functions, the message id.
    public var id: String
    /// The producer, e.g. `//pubsub.googleapis.com/projects/P/topics/T`.
    public var source: String
    /// The event type, e.g. `google.cloud.pubsub.topic.v1.messagePublished`.
    public var type: String
    /// When the occurrence happened, RFC 3339.
    public var time: String
    /// The media type of `data`.
    public var dataContentType: String
    /// The event data, JSON text.
    public var data: String

    public init(
        id: String, source: String, type: String, time: String, dataContentType: String = "application/json",
        data: String
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.dataContentType = dataContentType
        self.data = data
    }

    /// The structured-mode JSON form (`application/cloudevents+json`), which command functions
    /// read on standard input.
    public var structuredJSON: String {
        "{\"specversion\":\"1.0\",\"id\":\(JSONText.quote(id)),\"source\":\(JSONText.quote(source)),"
            + "\"type\":\(JSONText.quote(type)),\"time\":\(JSONText.quote(time)),"
            + "\"datacontenttype\":\(JSONText.quote(dataContentType)),\"data\":\(data)}"
    }

    /// The binary-mode HTTP headers (`ce-*`); the body is `data`.
    public var binaryModeHeaders: [(name: String, value: String)] {
        [
            ("ce-specversion", "1.0"),
            ("ce-id", id),
            ("ce-source", source),
            ("ce-type", type),
            ("ce-time", time),
            ("content-type", dataContentType),
        ]
    }
}
