import OrderedCollections
import SluiceCore
import SluiceWorkflows

/// Builds the events of an execution's stream; the only place their data layout is written.
enum ExecutionEvents {
    static func started(_ start: ExecutionStart, metadata: EventMetadata) throws(SluiceError) -> NewEvent {
        var fields: OrderedDictionary<String, WorkflowValue> = [
            "workflow": .string(start.workflow),
            "revision": .int(start.revision),
            "argument": EventPayload.storing(start.argument),
        ]
        if EventPayload.isTagged(start.argument) { fields["argumentTagged"] = .bool(true) }
        if let replayOf = start.replayOf { fields["replayOf"] = .string(replayOf) }
        if let step = start.liveFromStep { fields["liveFromStep"] = .string(step) }
        if start.runNesting > 0 { fields["runNesting"] = .int(Int64(start.runNesting)) }
        if !start.labels.isEmpty {
            fields["labels"] = .map(
                OrderedDictionary(
                    uniqueKeysWithValues: start.labels.sorted { $0.key < $1.key }.map { ($0, .string($1)) }))
        }
        return NewEvent(
            type: ExecutionEventType.started, encodedData: try EventPayload.encode(fields), metadata: metadata)
    }

    static func stepsStarted(_ steps: [StepProgress], metadata: EventMetadata) throws(SluiceError) -> NewEvent {
        let list = steps.map { WorkflowValue.object(["routine": .string($0.routine), "step": .string($0.step)]) }
        return NewEvent(
            type: ExecutionEventType.stepsStarted, encodedData: try EventPayload.encode(["steps": .list(list)]),
            metadata: metadata)
    }

    /// The request of an outside effect, appended before it is performed: the event's time is
    /// when it was requested.
    static func effectRequested(_ request: EffectRequest, idempotencyKey: String, metadata: EventMetadata)
        throws(SluiceError) -> NewEvent
    {
        var fields: OrderedDictionary<String, WorkflowValue> = ["effectId": .string(request.id)]
        addRequest(request, idempotencyKey: idempotencyKey, requestedAt: nil, to: &fields)
        return NewEvent(
            type: ExecutionEventType.effectRequested, encodedData: try EventPayload.encode(fields), metadata: metadata)
    }

    /// What the execution asked for, as a result event that carries its request records it.
    struct RecordedRequest {
        var request: EffectRequest
        var idempotencyKey: String
        var requestedAt: Int64
    }

    /// An effect's result. With `request`, the one event records both the request and its
    /// result: effects that are recorded only once they finished (replay-safe, planned and
    /// reused ones) need no request event of their own, which is a quarter of a pipeline's events.
    static func effectResult(
        id: String,
        _ result: Result<WorkflowValue, WorkflowError>,
        request: RecordedRequest? = nil,
        reusedFrom: String?,
        tookMicros: Int64? = nil,
        metadata: EventMetadata
    ) throws(SluiceError) -> NewEvent {
        var fields: OrderedDictionary<String, WorkflowValue> = ["effectId": .string(id)]
        if let request {
            addRequest(
                request.request, idempotencyKey: request.idempotencyKey, requestedAt: request.requestedAt, to: &fields)
        }
        if let tookMicros { fields["tookMicros"] = .int(tookMicros) }
        let type: String
        switch result {
        case .success(let value):
            type = ExecutionEventType.effectCompleted
            fields["result"] = EventPayload.storing(value)
            if EventPayload.isTagged(value) { fields["resultTagged"] = .bool(true) }
        case .failure(let error):
            type = ExecutionEventType.effectFailed
            fields["error"] = EventPayload.storing(error.value)
            if EventPayload.isTagged(error.value) { fields["errorTagged"] = .bool(true) }
        }
        if let reusedFrom { fields["reusedFrom"] = .string(reusedFrom) }
        return NewEvent(type: type, encodedData: try EventPayload.encode(fields), metadata: metadata)
    }

    private static func addRequest(
        _ request: EffectRequest, idempotencyKey: String, requestedAt: Int64?,
        to fields: inout OrderedDictionary<String, WorkflowValue>
    ) {
        let arguments = WorkflowValue.map(request.arguments)
        fields["function"] = .string(request.function)
        fields["arguments"] = EventPayload.isTagged(arguments) ? .null : arguments
        fields["routine"] = .string(request.routine)
        fields["step"] = .string(request.step)
        fields["idempotencyKey"] = .string(idempotencyKey)
        if let requestedAt { fields["requestedAt"] = .int(requestedAt) }
    }

    static func ended(_ ending: ExecutionHistory.Ending, metadata: EventMetadata) throws(SluiceError) -> NewEvent {
        switch ending {
        case .succeeded(let value):
            var fields: OrderedDictionary<String, WorkflowValue> = ["result": EventPayload.storing(value)]
            if EventPayload.isTagged(value) { fields["resultTagged"] = .bool(true) }
            return NewEvent(
                type: ExecutionEventType.succeeded, encodedData: try EventPayload.encode(fields), metadata: metadata)
        case .failed(let error):
            var fields: OrderedDictionary<String, WorkflowValue> = ["error": EventPayload.storing(error.value)]
            if EventPayload.isTagged(error.value) { fields["errorTagged"] = .bool(true) }
            return NewEvent(
                type: ExecutionEventType.failed, encodedData: try EventPayload.encode(fields), metadata: metadata)
        case .cancelled(let reason):
            return NewEvent(
                type: ExecutionEventType.cancelled, encodedData: try EventPayload.encode(["reason": .string(reason)]),
                metadata: metadata)
        }
    }
}
