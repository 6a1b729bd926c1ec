import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows

/// Sluice's own replay API, as `sluice executions replay` does it:
/// - `POST /v1/sluice/executions/ID:replay` with `{"revision": N | "latest", "fromStep": S,
///   "dryRun": bool, "reason": R, "replayId": ID}`: the replay's id (the server runs it), or with
///   `dryRun` the report of where the revision diverges;
/// - `POST /v1/sluice/executions:replay` with `{"where": ["data.error.code = 503", ...],
///   "since": T, "limit": N, ...}`: the same for every failed execution that matches and was not
///   replayed yet.
/// The caller's token is the principal recorded with every replay.
struct ReplayRoutes: Sendable {
    let log: any EventLog
    let runner: ExecutionRunner

    /// The settings a replay request carries.
    struct Settings {
        var revision: Int64?
        var fromStep: String?
        var dryRun = false
        var reason = "replay through the Sluice API"

        init(_ body: WorkflowValue) throws {
            switch body["revision"] {
            case nil, .string("latest")?: revision = nil
            case .int(let number)? where number > 0: revision = number
            default: throw GoogleErrorResponse.invalidArgument("revision must be a positive number or \"latest\"")
            }
            fromStep = try Self.text(body["fromStep"], "fromStep")
            switch body["dryRun"] {
            case nil: dryRun = false
            case .bool(let value)?: dryRun = value
            default: throw GoogleErrorResponse.invalidArgument("dryRun must be true or false")
            }
            if let text = try Self.text(body["reason"], "reason"), !text.isEmpty { reason = text }
        }

        /// A string field, or nil when absent; any other type is INVALID_ARGUMENT, never ignored
        /// (a `dryRun: "yes"` read as absent would replay for real).
        static func text(_ value: WorkflowValue?, _ name: String) throws -> String? {
            guard let value, value != .null else { return nil }
            guard let text = value.stringValue else {
                throw GoogleErrorResponse.invalidArgument("\(name) must be a string")
            }
            return text
        }
    }

    func add(to routes: RoleRoutes) {
        routes(.invoker).post("/v1/sluice/executions/:target") { request, context in
            let target = try context.parameters.decoded("target")
            guard target.hasSuffix(":replay") else { throw GoogleErrorResponse.notFound("no method \(target)") }
            let body = try await Self.body(request, limit: context.maxUploadSize)
            let settings = try Settings(body)
            do {
                let original = try ExecutionID(String(target.dropLast(":replay".count)))
                let chosen = try Settings.text(body["replayId"], "replayId").map { (id) throws(SluiceError) in
                    try ExecutionID(id)
                }
                return JSONObject.response(
                    try await replay(original, as: chosen, settings, principal: context.principal))
            } catch let error as GoogleErrorResponse { throw error } catch { throw GoogleErrorResponse(error) }
        }
        routes(.invoker).post("/v1/sluice/executions:replay") { request, context in
            let body = try await Self.body(request, limit: context.maxUploadSize)
            let settings = try Settings(body)
            guard let list = body["where"]?.listValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) else {
                throw GoogleErrorResponse.invalidArgument("where must list at least one predicate, each a string")
            }
            let texts = list.compactMap(\.stringValue)
            do {
                let since = try Settings.text(body["since"], "since").map { text throws(SluiceError) in
                    guard let micros = Timestamps.parse(text) else {
                        throw SluiceError(.invalidArgument, "since '\(text)' is not an RFC 3339 time or Unix seconds")
                    }
                    return micros
                }
                var limit = 1_000
                switch body["limit"] {
                case nil: break
                case .int(let given)? where (1...10_000).contains(given): limit = Int(given)
                default: throw SluiceError(.invalidArgument, "limit must be an integer between 1 and 10000")
                }
                guard (1...10_000).contains(limit) else {
                    throw SluiceError(.invalidArgument, "limit must be between 1 and 10000")
                }
                let selected = try await ReplaySelection.failedExecutions(
                    in: log, matching: try texts.map { text throws(SluiceError) in try FieldPredicate(parsing: text) },
                    since: since, limit: limit)
                var results: [JSONField] = []
                for original in selected {
                    results.append(.object(try await replay(original, as: nil, settings, principal: context.principal)))
                }
                return JSONObject.response(JSONObject(["replays": .array(results)]))
            } catch let error as GoogleErrorResponse { throw error } catch { throw GoogleErrorResponse(error) }
        }
    }

    private func replay(
        _ original: ExecutionID, as chosen: ExecutionID?, _ settings: Settings, principal: String
    ) async throws(SluiceError) -> JSONObject {
        if settings.dryRun {
            let report = try await runner.dryRunReplay(
                original, revision: settings.revision, liveFromStep: settings.fromStep)
            return JSONObject(["execution": .string(original.rawValue), "report": .raw(report.json)])
        }
        let replay: ExecutionID
        if let chosen {
            replay = chosen
        } else {
            replay = try await ReplaySelection.nextReplayID(of: original, runner: runner)
        }
        try await runner.replay(
            original, as: replay, revision: settings.revision, liveFromStep: settings.fromStep, principal: principal,
            reason: settings.reason)
        return JSONObject(["execution": .string(original.rawValue), "replay": .string(replay.rawValue)])
    }

    static func body(_ request: Request, limit: Int) async throws -> WorkflowValue {
        let buffer = try await request.body.collect(upTo: limit)
        guard buffer.readableBytes > 0 else { return .object([:]) }
        do { return try JSONReader.parse(String(buffer: buffer)) } catch {
            throw GoogleErrorResponse.invalidArgument("the request body is not JSON")
        }
    }
}
