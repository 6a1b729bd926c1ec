public import SluiceWorkflows

/// Performs `events.create_callback_endpoint` and `events.await_callback` through the broker;
/// everything else goes to `next`.
public struct CallbackEffectPerformer: EffectPerformer {
    private let broker: CallbackBroker
    private let next: any EffectPerformer
    private let now: @Sendable () -> Int64

    public init(broker: CallbackBroker, now: @escaping @Sendable () -> Int64, next: any EffectPerformer) {
        self.broker = broker
        self.now = now
        self.next = next
    }

    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]

    public func perform(_ request: EffectRequest, context: EffectContext) async -> Result<WorkflowValue, WorkflowError>
    {
        let arguments = WorkflowValue.map(request.arguments)
        switch request.function {
        case "events.create_callback_endpoint":
            let method = arguments["http_callback_method"]?.stringValue ?? "POST"
            guard Self.methods.contains(method) else {
                return .failure(
                    .valueError("http_callback_method must be one of \(Self.methods.sorted()), not \(method)"))
            }
            return .success(await broker.endpoint(context, method: method))
        case "events.await_callback":
            guard let url = arguments["callback"]?["url"]?.stringValue else {
                return .failure(.typeError("callback must be the map events.create_callback_endpoint returned"))
            }
            let timeout = arguments["timeout"]?.numberValue ?? 43_200
            guard timeout >= 0, timeout <= SystemEffectPerformer.longestSleepSeconds else {
                return .failure(
                    .valueError(
                        "timeout must be a number of seconds from 0 to \(Int(SystemEffectPerformer.longestSleepSeconds))"
                    ))
            }
            return await broker.await(url, context: context, timeoutSeconds: timeout, now: now)
        default:
            return await next.perform(request, context: context)
        }
    }

    public func plan(_ request: EffectRequest, context: EffectContext) async -> PlannedEffect? {
        await next.plan(request, context: context)
    }

    public func isReplaySafe(_ request: EffectRequest) async -> Bool {
        switch request.function {
        case "events.create_callback_endpoint": true
        case "events.await_callback": false
        default: await next.isReplaySafe(request)
        }
    }
}
