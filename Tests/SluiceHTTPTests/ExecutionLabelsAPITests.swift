import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceEngine
import SluiceHTTP
import Testing

@Suite("Executions carry labels and their current step, and a list filters on labels and duration")
struct ExecutionLabelsAPITests {
    /// Creates an execution of `double` with this request body; its resource.
    static func create(_ client: some TestClientProtocol, _ body: String) async throws -> [String: Any] {
        try await client.execute(
            uri: APIFixture.base + "/workflows/double/executions", method: .post, body: ByteBuffer(string: body)
        ) { APIFixture.json($0.body) }
    }

    @Test("labels given at create are returned by get and list")
    func labelsRoundTrip() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            let created = try await Self.create(
                client, #"{"argument": "{\"n\": 1}", "labels": {"team": "ml", "batch": "night-3"}}"#)
            #expect(created["labels"] as? [String: String] == ["team": "ml", "batch": "night-3"])
            let name = try #require(created["name"] as? String)
            let read = try await client.execute(uri: "/v1/" + name, method: .get) { APIFixture.json($0.body) }
            #expect(read["labels"] as? [String: String] == ["team": "ml", "batch": "night-3"])
        }
    }

    @Test(
        "labels Google would refuse are INVALID_ARGUMENT",
        arguments: [
            #"{"Team": "ml"}"#, #"{"team": "ML"}"#, #"{"9lives": "x"}"#, #"{"team": 5}"#, #""team""#,
            #"{"team": "\#(String(repeating: "a", count: 64))"}"#,
        ])
    func refusedLabels(labels: String) async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            try await client.execute(
                uri: APIFixture.base + "/workflows/double/executions", method: .post,
                body: ByteBuffer(string: #"{"argument": "{\"n\": 1}", "labels": \#(labels)}"#)
            ) { APIFixture.expectInvalidArgument($0) }
        }
    }

    @Test(
        "a filter on labels.KEY matches by value, or by presence with :*, newest first",
        arguments: [
            ("labels.team=ml", [0]), (#"labels.team="ml""#, [0]), ("labels.team:*", [1, 0]),
            ("labels.team!=ml", [2, 1]), ("labels.team=ops OR labels.team=ml", [1, 0]), ("labels.color:*", []),
        ])
    func labelFilter(filter: String, expected: [Int]) async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            var names: [String] = []
            for labels in [#"{"team": "ml"}"#, #"{"team": "ops"}"#, "{}"] {
                let created = try await Self.create(client, #"{"argument": "{\"n\": 1}", "labels": \#(labels)}"#)
                names.append(created["name"] as? String ?? "")
            }
            let listed = try await ListedExecutions.list(client, ["filter": filter])
            #expect(listed == expected.map { names[$0] })
        }
    }

    @Test(
        "a filter on duration compares how long an execution ran, or has run so far",
        arguments: [(#"duration>="0s""#, [3, 2, 1, 0]), (#"duration<"3600s""#, [3, 2, 1, 0]), ("duration>3600s", [])])
    func durationFilter(filter: String, expected: [Int]) async throws {
        try await ListedExecutions().test { client, names in
            let listed = try await ListedExecutions.list(client, ["filter": filter])
            #expect(listed == expected.map { names[$0] })
        }
    }

    @Test("a duration that is not a number of seconds is INVALID_ARGUMENT", arguments: ["duration>10", "duration>xs"])
    func unreadableDuration(filter: String) async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            var components = URLComponents(string: APIFixture.base + "/workflows/double/executions")!
            components.queryItems = [URLQueryItem(name: "filter", value: filter)]
            try await client.execute(uri: components.percentEncodedQueryEscapingPlus, method: .get) {
                APIFixture.expectInvalidArgument($0)
            }
        }
    }

    @Test("a finished execution reports the step it ended in as status.currentSteps")
    func currentStepIsReported() async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            let name = try #require(try await Self.create(client, #"{"argument": "{\"n\": 2}"}"#)["name"] as? String)
            _ = try await fixture.runner.run(try ExecutionID(String(name.split(separator: "/").last ?? "")))
            let read = try await client.execute(uri: "/v1/" + name, method: .get) { APIFixture.json($0.body) }
            let status = read["status"] as? [String: Any]
            let steps = status?["currentSteps"] as? [[String: String]]
            #expect(steps == [["routine": "main", "step": "r"]])
        }
    }
}
