public import SluiceCore

/// One change to an object, as a notification reports it.
public struct ObjectChange: Sendable, Hashable {
    /// What happened.
    public var eventType: NotificationEventType
    /// The generation the change is about, as it is after the change.
    public var object: ObjectVersion
    /// When it happened.
    public var eventTime: Timestamp
    /// For a finalize that replaced a live object: that object's generation.
    public var overwroteGeneration: Int64?
    /// For a delete or archive caused by an overwrite: the new generation.
    public var overwrittenByGeneration: Int64?

    /// Creates a change.
    public init(
        eventType: NotificationEventType,
        object: ObjectVersion,
        eventTime: Timestamp,
        overwroteGeneration: Int64? = nil,
        overwrittenByGeneration: Int64? = nil
    ) {
        self.eventType = eventType
        self.object = object
        self.eventTime = eventTime
        self.overwroteGeneration = overwroteGeneration
        self.overwrittenByGeneration = overwrittenByGeneration
    }

    /// The changes that object events make, in order, given the state before them.
    public static func changes(
        from events: [ObjectEvent],
        applyingTo state: ObjectState
    ) throws(SluiceError) -> [ObjectChange] {
        var state = state
        var changes: [ObjectChange] = []
        for event in events {
            let before = state
            try state.apply(event)
            switch event {
            case .finalized(let payload):
                changes.append(
                    ObjectChange(
                        eventType: .objectFinalize,
                        object: payload.object,
                        eventTime: payload.object.timeCreated,
                        overwroteGeneration: payload.overwroteGeneration
                    )
                )
            case .metadataUpdated(let payload):
                guard let object = state.version(payload.generation) else { continue }
                changes.append(
                    ObjectChange(eventType: .objectMetadataUpdate, object: object, eventTime: payload.updated))
            case .archived(let payload):
                guard let object = state.version(payload.generation) else { continue }
                changes.append(
                    ObjectChange(
                        eventType: .objectArchive,
                        object: object,
                        eventTime: payload.time,
                        overwrittenByGeneration: payload.overwrittenByGeneration
                    )
                )
            case .deleted(let payload):
                guard var object = before.version(payload.generation) else { continue }
                object.timeDeleted = object.timeDeleted ?? payload.time
                changes.append(
                    ObjectChange(
                        eventType: .objectDelete,
                        object: object,
                        eventTime: payload.time,
                        overwrittenByGeneration: payload.overwrittenByGeneration
                    )
                )
            }
        }
        return changes
    }
}
