import Hummingbird
import SluiceCore
import SluiceLog

/// Sluice's own `POST /v1/sluice/log:verify` (admin): checks the whole log as `sluice admin
/// verify` does and answers `{"intact", "eventsChecked", "streamsChecked", "problems",
/// "problemsTruncated"}`. An intact log and a damaged one are both 200: the report is the answer.
struct VerifyRoutes: Sendable {
    let log: any EventLog

    func add(to routes: RoleRoutes) {
        routes(.admin).post("/v1/sluice/log:verify") { _, _ in
            let report: IntegrityReport
            do {
                report = try await log.verify { _, _ in }
            } catch {
                throw GoogleErrorResponse(error)
            }
            return JSONObject.response(Self.json(report))
        }
    }

    static func json(_ report: IntegrityReport) -> JSONObject {
        JSONObject([
            "intact": .bool(report.isIntact),
            "eventsChecked": .number(Double(report.eventsChecked)),
            "streamsChecked": .number(Double(report.streamsChecked)),
            "problems": .array(report.problems.map(JSONField.string)),
            "problemsTruncated": .bool(report.problemsTruncated),
        ])
    }
}
