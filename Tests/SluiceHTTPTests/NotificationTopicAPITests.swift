import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceResources
import Testing

@Suite("A notification config must name a topic that exists, as Cloud Storage requires")
struct NotificationTopicAPITests {
    @Test("a notification config for a missing topic is INVALID_ARGUMENT naming the topic, and stores nothing")
    func missingTopicIsRefused() async throws {
        let fixture = try StorageFixture()
        try await fixture.storage.createBucket("uploads")
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/storage/v1/b/uploads/notificationConfigs", method: .post,
                body: ByteBuffer(string: #"{"topic": "//pubsub.googleapis.com/projects/p/topics/nowhere"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = APIFixture.error(response.body)
                #expect(error["status"] as? String == "INVALID_ARGUMENT")
                #expect((error["message"] as? String)?.contains("'nowhere' not found") == true)
            }
        }
        #expect(try await fixture.storage.bucket("uploads").notificationConfigs.isEmpty)
    }
}
