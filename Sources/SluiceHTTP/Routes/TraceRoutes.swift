import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceLog

/// Sluice's own `GET /v1/sluice/trace?object=gs://B/N | execution=ID | correlation=C`: one
/// journey through the pipeline, as `sluice trace` prints it: `{"correlationId", "steps": [...]}`.
struct TraceRoutes: Sendable {
    let log: any EventLog

    func add(to routes: RoleRoutes) {
        routes(.viewer).get("/v1/sluice/trace") { request, _ in
            let parameters = request.uri.queryParameters
            let targets: [JourneyTrace.Target] = [
                parameters.get("correlation").map { .correlation($0) },
                parameters.get("object").map { .object($0) },
                parameters.get("execution").map { .execution($0) },
            ].compactMap { $0 }
            guard targets.count == 1, let target = targets.first else {
                throw GoogleErrorResponse.invalidArgument("give exactly one of correlation, object or execution")
            }
            do {
                let trace = try await JourneyTrace.load(
                    log, correlationID: try await JourneyTrace.correlation(of: target, in: log))
                let steps = trace.steps.map(\.json).joined(separator: ",")
                return JSONObject.response(
                    JSONObject(["correlationId": .string(trace.correlationID), "steps": .raw("[" + steps + "]")]))
            } catch {
                throw GoogleErrorResponse(error)
            }
        }
    }
}
