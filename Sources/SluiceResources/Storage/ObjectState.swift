public import SluiceCore

/// Everything known about one object name, rebuilt by folding its events.
public struct ObjectState: Sendable, Hashable {
    /// The live generation, if there is one.
    public var live: ObjectVersion?
    /// Noncurrent generations (versioned buckets), by generation.
    public var noncurrent: [Int64: ObjectVersion]
    /// The highest generation ever finalized under this name; new generations must exceed it.
    public var highestGeneration: Int64

    /// The state of a name that was never written.
    public init() {
        live = nil
        noncurrent = [:]
        highestGeneration = 0
    }

    /// Folds events, oldest first, into a state.
    public static func folding(_ events: some Sequence<ObjectEvent>) throws(SluiceError) -> ObjectState {
        var state = ObjectState()
        for event in events { try state.apply(event) }
        return state
    }

    /// Any generation, live or noncurrent.
    public func version(_ generation: Int64) -> ObjectVersion? {
        if let live, live.generation == generation { return live }
        return noncurrent[generation]
    }

    /// Applies one event. Throws `corruptStore` when the event contradicts the state, which only a
    /// damaged or hand-edited log can cause.
    public mutating func apply(_ event: ObjectEvent) throws(SluiceError) {
        switch event {
        case .finalized(let payload):
            let object = payload.object
            guard object.generation > highestGeneration else {
                throw Self.contradiction("finalizes generation \(object.generation) after \(highestGeneration)")
            }
            guard live?.generation == payload.overwroteGeneration else {
                throw Self.contradiction("overwrites generation \(payload.overwroteGeneration ?? 0) that is not live")
            }
            if let previous = live {
                // Held as noncurrent until the archive or delete that follows in the same append.
                noncurrent[previous.generation] = previous
            }
            live = object
            highestGeneration = object.generation
        case .metadataUpdated(let payload):
            guard var version = version(payload.generation) else {
                throw Self.contradiction("updates missing generation \(payload.generation)")
            }
            version.metageneration = payload.metageneration
            version.contentType = payload.contentType
            version.metadata = payload.metadata
            version.updated = payload.updated
            store(version)
        case .archived(let payload):
            guard var version = version(payload.generation) else {
                throw Self.contradiction("archives missing generation \(payload.generation)")
            }
            version.timeDeleted = payload.time
            if live?.generation == payload.generation { live = nil }
            noncurrent[payload.generation] = version
        case .deleted(let payload):
            guard version(payload.generation) != nil else {
                throw Self.contradiction("deletes missing generation \(payload.generation)")
            }
            if live?.generation == payload.generation {
                live = nil
            } else {
                noncurrent[payload.generation] = nil
            }
        }
    }

    private mutating func store(_ version: ObjectVersion) {
        if live?.generation == version.generation {
            live = version
        } else {
            noncurrent[version.generation] = version
        }
    }

    private static func contradiction(_ what: String) -> SluiceError {
        SluiceError(.corruptStore, "an object event \(what)")
    }
}
