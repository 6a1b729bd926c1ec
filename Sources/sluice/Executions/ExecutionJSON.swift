import OrderedCollections
import SluiceEngine
import SluiceWorkflows

/// How the CLI prints an execution's ending: the result JSON, or the GCP error map.
enum ExecutionJSON {
    static func summary(id: String, history: ExecutionHistory) -> String {
        let state: String
        var fields: [(String, WorkflowValue)] = [("id", .string(id))]
        switch history.ending {
        case nil: state = history.start == nil ? "UNKNOWN" : "ACTIVE"
        case .succeeded(let value)?:
            state = "SUCCEEDED"
            fields.append(("result", value))
        case .failed(let error)?:
            state = "FAILED"
            fields.append(("error", error.errorMap))
        case .cancelled(let reason)?:
            state = "CANCELLED"
            fields.append(("reason", .string(reason)))
        }
        fields.insert(("state", .string(state)), at: 1)
        if let start = history.start {
            fields.append(("workflow", .string(start.workflow)))
            fields.append(("revision", .int(start.revision)))
            if let replayOf = start.replayOf { fields.append(("replayOf", .string(replayOf))) }
        }
        fields.append(("steps", .int(Int64(history.stepsRecorded))))
        fields.append(("effects", .int(Int64(history.requested.count))))
        var map = WorkflowValue.object([:]).mapValue ?? [:]
        for (key, value) in fields { map[key] = value }
        return (try? WorkflowValue.map(map).jsonString()) ?? "{}"
    }
}
