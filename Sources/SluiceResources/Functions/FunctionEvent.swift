public import SluiceCore

/// A fact about a function's configuration, recorded in its `function/NAME` stream (which also
/// holds the engine's delivery events for the function).
public enum FunctionEvent: Sendable, Hashable {
    /// `function.deployed`: created, or replaced by a new configuration.
    case deployed(FunctionDeployed)
    /// `function.deleted`.
    case deleted(FunctionDeleted)

    public enum TypeName {
        public static let deployed = "function.deployed"
        public static let deleted = "function.deleted"
    }

    public var type: String {
        switch self {
        case .deployed: TypeName.deployed
        case .deleted: TypeName.deleted
        }
    }

    public func newEvent(metadata: EventMetadata = .empty) -> NewEvent {
        let data =
            switch self {
            case .deployed(let payload): EventCoding.encode(payload)
            case .deleted(let payload): EventCoding.encode(payload)
            }
        return NewEvent(type: type, encodedData: data, metadata: metadata)
    }

    public init(_ event: RecordedEvent) throws(SluiceError) {
        switch event.type {
        case TypeName.deployed: self = .deployed(try EventCoding.decode(FunctionDeployed.self, from: event))
        case TypeName.deleted: self = .deleted(try EventCoding.decode(FunctionDeleted.self, from: event))
        default: throw EventCoding.unknownType(event)
        }
    }
}

/// The payload of `function.deployed`.
public struct FunctionDeployed: Sendable, Hashable, Codable {
    public var config: FunctionConfig
    public var time: Timestamp

    public init(config: FunctionConfig, time: Timestamp) {
        self.config = config
        self.time = time
    }
}

/// The payload of `function.deleted`.
public struct FunctionDeleted: Sendable, Hashable, Codable {
    public var time: Timestamp

    public init(time: Timestamp) { self.time = time }
}

/// A function's current configuration, folded from its `function.*` events.
public struct FunctionState: Sendable, Hashable {
    public var config: FunctionConfig?

    public init() { config = nil }

    public mutating func apply(_ event: FunctionEvent) {
        switch event {
        case .deployed(let payload): config = payload.config
        case .deleted: config = nil
        }
    }
}
