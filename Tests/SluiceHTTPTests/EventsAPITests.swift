import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceCore
import SluiceHTTP
import SluiceLog
import Testing

@Suite("The audit API answers event queries with the CLI's filters")
struct EventsAPITests {
    @Test("events filter by type and data field, page by cursor, and a bad filter is INVALID_ARGUMENT")
    func queryFiltersAndPages() async throws {
        let fixture = APIFixture()
        for name in ["a.png", "b.png", "c.png"] {
            _ = try await fixture.log.append(
                [NewEvent(type: "object.finalized", data: #"{"objectId":"\#(name)"}"#)],
                to: StreamName("object/uploads/\(name)"))
        }
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/sluice/events?type=object.finalized&where=data.objectId%20%3D%20'b.png'", method: .get
            ) { response in
                let events = APIFixture.json(response.body)["events"] as? [[String: Any]]
                #expect(events?.count == 1)
                #expect((events?.first?["data"] as? [String: Any])?["objectId"] as? String == "b.png")
            }
            let cursor = try await client.execute(uri: "/v1/sluice/events?limit=2", method: .get) { response in
                APIFixture.json(response.body)["nextCursor"] as? String
            }
            #expect(cursor == "2")
            try await client.execute(uri: "/v1/sluice/events?limit=2&after=2", method: .get) { response in
                #expect((APIFixture.json(response.body)["events"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/v1/sluice/events?where=nonsense", method: .get) { response in
                APIFixture.expectInvalidArgument(response)
            }
        }
    }

    @Test(
        "a limit or cursor that is not an integer is INVALID_ARGUMENT, not the default",
        arguments: ["limit=abc", "limit=0", "after=two", "after=-1", "limit=99999999999999999999"])
    func nonIntegerPagingIsRefused(_ query: String) async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/sluice/events?" + query, method: .get) { response in
                APIFixture.expectInvalidArgument(response)
            }
        }
    }

    @Test(
        "a time the log's clock cannot hold, or more predicates than a query may have, is INVALID_ARGUMENT, not a crash",
        arguments: [
            "since=1e300", "since=nan", "until=inf", "until=-1e19", "since=9223372036854775807",
            (0...64).map { "where=data.x%20%3D%20\($0)" }.joined(separator: "&"),
        ])
    func outOfRangeFiltersAreRefused(_ query: String) async throws {
        let fixture = APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/sluice/events?" + query, method: .get) { response in
                APIFixture.expectInvalidArgument(response)
            }
        }
    }
}
