import SluiceEngine
import SluiceLog

/// The fields of one execution that a list filters and orders on, read from its history.
struct ExecutionListing: Sendable {
    let id: ExecutionID
    /// The state as the API spells it: ACTIVE, SUCCEEDED, FAILED or CANCELLED.
    let state: String
    /// When the execution started, in microseconds; its create time too, as it starts on creation.
    let startTime: Int64
    /// When it ended, in microseconds; nil while it is active.
    let endTime: Int64?
    let workflowRevisionID: String
    /// How long it ran, in microseconds; for an active one, so far.
    let duration: Int64
    let labels: [String: String]

    init(_ id: ExecutionID, history: ExecutionHistory, revisionID: String, now: Int64) {
        self.id = id
        startTime = history.startedAt
        endTime = history.endedAt
        workflowRevisionID = revisionID
        duration = (history.endedAt ?? now) - history.startedAt
        labels = history.start?.labels ?? [:]
        state =
            switch history.ending {
            case nil: "ACTIVE"
            case .succeeded?: "SUCCEEDED"
            case .failed?: "FAILED"
            case .cancelled?: "CANCELLED"
            }
    }
}
