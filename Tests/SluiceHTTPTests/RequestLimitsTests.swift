import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceHTTP
import SluiceLog
import Testing

@Suite("Bad requests get Google-format errors and store nothing")
struct RequestLimitsTests {
    @Test("a declared body over the limit is 413 before it is read, with Google's status and message")
    func declaredBodyOverLimitIs413() async throws {
        let fixture = APIFixture(maxBodyBytes: 64)
        try await fixture.app().test(.router) { client in
            let body = #"{"sourceContents": "\#(String(repeating: "x", count: 100))"}"#
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=big", method: .post,
                headers: [.contentLength: String(body.utf8.count)], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let error = APIFixture.error(response.body)
                #expect(error["code"] as? Int == 413)
                #expect(error["status"] as? String == "INVALID_ARGUMENT")
                #expect(error["message"] as? String == "Request payload size exceeds the limit: 64 bytes.")
            }
        }
        #expect(await fixture.log.headPosition() == 0)
    }

    @Test("a body without a length that grows over the limit is 413 too")
    func undeclaredBodyOverLimitIs413() async throws {
        let fixture = APIFixture(maxBodyBytes: 64)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/endpoints/m:predict", method: .post,
                body: ByteBuffer(string: #"{"instances": [\#(String(repeating: "1,", count: 60))1]}"#)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let error = APIFixture.error(response.body)
                #expect(error["status"] as? String == "INVALID_ARGUMENT")
                #expect(error["message"] as? String == "Request payload size exceeds the limit: 64 bytes.")
            }
        }
    }

    @Test("malformed JSON is 400 INVALID_ARGUMENT")
    func malformedJSONIsInvalidArgument() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows?workflowId=w", method: .post, body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(APIFixture.error(response.body)["status"] as? String == "INVALID_ARGUMENT")
            }
        }
        #expect(await fixture.log.headPosition() == 0)
    }

    @Test("a method a known path does not have is 405 with Allow")
    func wrongMethodIs405() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: APIFixture.base + "/workflows", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow]?.contains("GET") == true)
                #expect(response.headers[.allow]?.contains("POST") == true)
                #expect(APIFixture.error(response.body)["code"] as? Int == 405)
            }
        }
    }

    @Test("an unknown path is 404 NOT_FOUND as JSON")
    func unknownPathIs404() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/nothing/here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(APIFixture.error(response.body)["status"] as? String == "NOT_FOUND")
            }
        }
    }
}
