import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows

/// Sluice's own `POST /v1/sluice/subscriptions/SUB:redrive` (`{"reason": "..."}`): gives the
/// subscription's dead-lettered messages back to it, as `sluice subscriptions redrive` does, with
/// the caller's token as the principal. SUB may be `eventarc-FUNCTION`.
struct RedriveRoutes: Sendable {
    let log: any EventLog

    func add(to routes: RoleRoutes) {
        routes(.editor).post("/v1/sluice/subscriptions/:target") { request, context in
            let target = try context.parameters.decoded("target")
            guard target.hasSuffix(":redrive") else { throw GoogleErrorResponse.notFound("no method \(target)") }
            let subscription = String(target.dropLast(":redrive".count))
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            var reason = "redrive through the Sluice API"
            if body.readableBytes > 0 {
                guard let fields = try? JSONReader.parse(String(buffer: body)) else {
                    throw GoogleErrorResponse.invalidArgument("the request body is not JSON")
                }
                if let given = fields["reason"] {
                    guard let text = given.stringValue, !text.isEmpty else {
                        throw GoogleErrorResponse.invalidArgument("reason must be a non-empty string")
                    }
                    reason = text
                }
            }
            let outcome: DeadLetterRedrive.Outcome
            do {
                outcome = try await DeadLetterRedrive.redrive(
                    subscription, log: log, principal: context.principal, reason: reason)
            } catch {
                throw GoogleErrorResponse(error)
            }
            return JSONObject.response(
                JSONObject([
                    "target": .string(outcome.target),
                    "redriven": .number(Double(outcome.messageIDs.count)),
                    "messageIds": .array(outcome.messageIDs.map(JSONField.string)),
                ]))
        }
    }
}
