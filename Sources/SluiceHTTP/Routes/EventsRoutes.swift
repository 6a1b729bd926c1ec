import Foundation
import Hummingbird
import NIOCore
import SluiceCore
import SluiceLog

/// Sluice's own audit API: `GET /v1/sluice/events` with the same filters as
/// `sluice events query`, as JSON lines' objects in one array, with a cursor for the next page.
struct EventsRoutes: Sendable {
    let log: any EventLog

    func add(to routes: RoleRoutes) {
        routes(.viewer).get("/v1/sluice/events") { request, _ in
            let query = try Self.query(request.uri.queryParameters)
            let page: EventPage
            do { page = try await log.query(query) } catch { throw GoogleErrorResponse(error) }
            var body = "{\"events\":[" + page.events.map(EventJSON.line).joined(separator: ",") + "]"
            if let cursor = page.nextCursor { body += ",\"nextCursor\":\"\(cursor)\"" }
            body += "}"
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=UTF-8"],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
    }

    static func query(_ parameters: Parameters) throws -> EventQuery {
        func time(_ name: String) throws -> Int64? {
            guard let text = parameters.get(name) else { return nil }
            guard let micros = Timestamps.parse(text) else {
                throw GoogleErrorResponse.invalidArgument("\(name) '\(text)' is not an RFC 3339 time or Unix seconds")
            }
            return micros
        }
        func integer(_ name: String, default value: Int64) throws -> Int64 {
            guard let text = parameters.get(name) else { return value }
            guard let number = Int64(text) else {
                throw GoogleErrorResponse.invalidArgument("\(name) '\(text)' is not an integer")
            }
            return number
        }
        do {
            return try EventQuery(
                stream: parameters.get("stream").map { name throws(SluiceError) in try StreamName(name) },
                streamPrefix: parameters.get("streamPrefix"),
                types: parameters.getAll("type"),
                since: time("since"),
                until: time("until"),
                correlationID: parameters.get("correlation"),
                predicates: parameters.getAll("where").map { text throws(SluiceError) in
                    try FieldPredicate(parsing: text)
                },
                after: try integer("after", default: 0),
                limit: Int(clamping: try integer("limit", default: 100))
            ).validated()
        } catch let error as SluiceError {
            throw GoogleErrorResponse(error)
        }
    }
}
