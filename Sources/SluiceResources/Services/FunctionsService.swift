public import SluiceCore
public import SluiceLog

/// Functions on the log: each is deployed (and redeployed) into its `function/NAME` stream.
public struct FunctionsService: Sendable {
    let log: any EventLog
    let clock: @Sendable () -> Timestamp

    public init(
        log: any EventLog,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(microseconds: WallClock.microsecondsSinceEpoch()) }
    ) {
        self.log = log
        self.clock = clock
    }

    /// Deploys a function; deploying the same name again replaces its configuration for messages
    /// published from then on. The trigger topic must exist.
    public func deploy(_ config: FunctionConfig, metadata: EventMetadata = .empty) async throws(SluiceError) {
        try config.validate()
        guard try await PubSubService(log: log, clock: clock).topicExists(config.triggerTopic.rawValue) else {
            throw SluiceError(.notFound, "topic \(config.triggerTopic) does not exist")
        }
        if try await function(config.name.rawValue) == config { return }
        _ = try await log.append(
            [FunctionEvent.deployed(FunctionDeployed(config: config, time: clock())).newEvent(metadata: metadata)],
            to: ResourceStreams.function(config.name))
    }

    /// Deletes a function; messages published afterwards no longer reach it.
    public func delete(_ name: String, metadata: EventMetadata = .empty) async throws(SluiceError) {
        let function = try FunctionName(name)
        guard try await self.function(name) != nil else {
            throw SluiceError(.notFound, "function \(name) does not exist")
        }
        _ = try await log.append(
            [FunctionEvent.deleted(FunctionDeleted(time: clock())).newEvent(metadata: metadata)],
            to: ResourceStreams.function(function))
    }

    /// A function's configuration, or `nil` when there is none.
    public func function(_ name: String) async throws(SluiceError) -> FunctionConfig? {
        let stream = ResourceStreams.function(try FunctionName(name))
        let page = try await log.query(
            EventQuery(
                stream: stream, types: [FunctionEvent.TypeName.deployed, FunctionEvent.TypeName.deleted],
                limit: 10_000))
        var state = FunctionState()
        for event in page.events { state.apply(try FunctionEvent(event)) }
        return state.config
    }

    /// Every deployed function, by name.
    public func list() async throws(SluiceError) -> [FunctionConfig] {
        var state: [String: FunctionState] = [:]
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(
                    streamPrefix: "function/",
                    types: [FunctionEvent.TypeName.deployed, FunctionEvent.TypeName.deleted],
                    after: after, limit: 1_000))
            for event in page.events {
                state[event.stream.rawValue, default: FunctionState()].apply(try FunctionEvent(event))
            }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        return state.values.compactMap(\.config).sorted { $0.name < $1.name }
    }
}
