import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import SluiceEngine
import SluiceHTTP
import Testing

/// Four executions of `double`, oldest first: 0 SUCCEEDED, 1 FAILED, 2 SUCCEEDED, 3 ACTIVE. They
/// end in the order 2, 0, 1.
struct ListedExecutions {
    let fixture = APIFixture()

    func test(_ body: @Sendable (any TestClientProtocol, [String]) async throws -> Void) async throws {
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            var names: [String] = []
            for argument in ["1", #"\"x\""#, "3", "4"] {
                names.append(
                    try await client.execute(
                        uri: APIFixture.base + "/workflows/double/executions", method: .post,
                        body: ByteBuffer(string: #"{"argument": "{\"n\": \#(argument)}"}"#)
                    ) { APIFixture.json($0.body)["name"] as? String ?? "" })
            }
            for index in [2, 0, 1] {
                _ = try await fixture.runner.run(try ExecutionID(String(names[index].split(separator: "/").last ?? "")))
            }
            try await body(client, names)
        }
    }

    /// The names a list with these query parameters returns, following nextPageToken.
    static func list(_ client: some TestClientProtocol, _ query: [String: String]) async throws -> [String] {
        var listed: [String] = []
        var token: String?
        for _ in 0..<10 {
            var items = query.map { URLQueryItem(name: $0.key, value: $0.value) }
            if let token { items.append(URLQueryItem(name: "pageToken", value: token)) }
            var components = URLComponents(string: APIFixture.base + "/workflows/double/executions")!
            components.queryItems = items
            let page = try await client.execute(uri: components.percentEncodedQueryEscapingPlus, method: .get) {
                response in
                #expect(response.status == .ok)
                return APIFixture.json(response.body)
            }
            listed += (page["executions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            token = page["nextPageToken"] as? String
            if token == nil { break }
        }
        return listed
    }
}

extension URLComponents {
    /// The path and query, with `+` escaped too, since a server may read it as a space.
    var percentEncodedQueryEscapingPlus: String {
        path + "?" + (percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}

@Suite("The Executions list filters, orders and pages as Google's does")
struct ExecutionListAPITests {
    @Test(
        "a filter lists only the executions it matches, newest first",
        arguments: [
            (#"state="FAILED""#, [1]), ("state=FAILED", [1]), (#"state!="SUCCEEDED""#, [3, 1]),
            ("state=FAILED OR state=ACTIVE", [3, 1]), ("NOT state=SUCCEEDED", [3, 1]),
            (#"state="SUCCEEDED" AND startTime>"2000-01-01T00:00:00Z""#, [2, 0]),
            (#"startTime<"2000-01-01T00:00:00Z""#, []), (#"endTime>"2000-01-01T00:00:00Z""#, [2, 1, 0]),
            ("workflowRevisionId=000001-000 (state=ACTIVE OR state=CANCELLED)", [3]),
            (#"workflowRevisionId="000002-000""#, []),
        ])
    func filterSelectsExecutions(filter: String, expected: [Int]) async throws {
        try await ListedExecutions().test { client, names in
            let listed = try await ListedExecutions.list(client, ["filter": filter])
            #expect(listed == expected.map { names[$0] })
        }
    }

    @Test("a filtered list pages through the matching executions, pageSize of them at a time")
    func filteredPagesHoldMatches() async throws {
        try await ListedExecutions().test { client, names in
            let first = try await client.execute(
                uri: APIFixture.base + "/workflows/double/executions?pageSize=1&filter=state%3DSUCCEEDED", method: .get
            ) { APIFixture.json($0.body) }
            #expect((first["executions"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == [names[2]])
            #expect(first["nextPageToken"] != nil)
            let all = try await ListedExecutions.list(client, ["filter": "state=SUCCEEDED", "pageSize": "1"])
            #expect(all == [names[2], names[0]])
        }
    }

    @Test("an execution does not start after its own startTime, compared to the microsecond")
    func startTimeAfterItselfExcludesIt() async throws {
        try await ListedExecutions().test { client, names in
            let startTime = try await Self.startTime(client, names[1])
            let listed = try await ListedExecutions.list(client, ["filter": "startTime>\"\(startTime)\""])
            #expect(!listed.contains(names[1]), "startTime \(startTime)")
            #expect(listed.contains(names[3]))
        }
    }

    @Test("startTime equal to an execution's own startTime, to the microsecond, finds it")
    func startTimeEqualToItselfFindsIt() async throws {
        try await ListedExecutions().test { client, names in
            let startTime = try await Self.startTime(client, names[1])
            let listed = try await ListedExecutions.list(client, ["filter": "startTime=\"\(startTime)\""])
            #expect(listed == [names[1]], "startTime \(startTime)")
        }
    }

    /// The `startTime` the API prints for execution `name`, six fraction digits.
    static func startTime(_ client: some TestClientProtocol, _ name: String) async throws -> String {
        let path = "/v1/" + name
        return try await client.execute(uri: path, method: .get) { APIFixture.json($0.body)["startTime"] as? String }
            ?? ""
    }

    @Test(
        "orderBy orders by start or end time, an active execution ending last",
        arguments: [
            ("startTime", [0, 1, 2, 3]), ("createTime desc", [3, 2, 1, 0]), ("endTime", [2, 0, 1, 3]),
            ("endTime desc", [3, 1, 0, 2]), ("endTime desc, startTime", [3, 1, 0, 2]),
        ])
    func orderByOrders(orderBy: String, expected: [Int]) async throws {
        try await ListedExecutions().test { client, names in
            for pageSize in ["1", "3", "100"] {
                let listed = try await ListedExecutions.list(client, ["orderBy": orderBy, "pageSize": pageSize])
                #expect(listed == expected.map { names[$0] }, "pageSize \(pageSize)")
            }
        }
    }

    @Test(
        "a filter or orderBy this server cannot read is INVALID_ARGUMENT",
        arguments: [
            "filter=(((((", "filter=state%3D", "filter=state%3DBOGUS", "filter=color%3Dred",
            "filter=startTime%3Eyesterday", "filter=state%3DFAILED%20AND", "filter=state%3CFAILED",
            "filter=state%3DFAILED)", "orderBy=bogus", "orderBy=startTime%20sideways", "orderBy=state",
        ])
    func unreadableFilterIsInvalid(query: String) async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await APIFixture.deployDoubling(client)
            try await client.execute(uri: APIFixture.base + "/workflows/double/executions?" + query, method: .get) {
                APIFixture.expectInvalidArgument($0)
            }
        }
    }
}
