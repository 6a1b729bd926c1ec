import SluiceAdapters
import SluiceCore

/// Invocations of a made-up function on a made-up Pub/Sub message.
enum FunctionFixtures {
    static let event = CloudEvent.pubsubMessagePublished(
        project: "demo",
        topic: "uploads",
        subscription: "predict",
        messageID: "42",
        publishTime: "2026-11-24T10:00:00.000Z",
        attributes: ["eventType": "OBJECT_FINALIZE", "objectId": "cat.png"],
        data: Array("{\"name\":\"cat.png\"}".utf8),
        orderingKey: nil
    )

    static func invocation(timeout: Duration = .seconds(120)) -> FunctionInvocation {
        FunctionInvocation(function: "classify", event: event, attempt: 1, timeout: timeout, idempotencyKey: "msg-42")
    }
}
