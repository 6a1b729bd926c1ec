import Foundation
import OrderedCollections
public import SluiceWorkflows

/// The clock, durable sleeps, UUIDs and log lines; everything else goes to `next` (HTTP and
/// connectors, routed by the app).
public struct SystemEffectPerformer: EffectPerformer {
    /// The longest `sys.sleep` Workflows allows: one year.
    static let longestSleepSeconds: Double = 31_536_000

    private let next: any EffectPerformer
    private let now: @Sendable () -> Int64

    /// - Parameters:
    ///   - now: microseconds since the epoch; tests inject a manual clock.
    ///   - next: performs what this one does not know.
    public init(now: @escaping @Sendable () -> Int64, next: any EffectPerformer) {
        self.now = now
        self.next = next
    }

    public func perform(_ request: EffectRequest, context: EffectContext) async -> Result<WorkflowValue, WorkflowError>
    {
        let arguments = request.arguments
        switch request.function {
        case "sys.now":
            return .success(.double(Double(now()) / 1_000_000))
        case "sys.sleep":
            guard let seconds = arguments["seconds"]?.numberValue, seconds >= 0, seconds <= Self.longestSleepSeconds
            else {
                return .failure(
                    .valueError("sys.sleep: seconds must be a number from 0 to \(Int(Self.longestSleepSeconds))"))
            }
            return await sleep(until: context.requestedAt + Int64(seconds * 1_000_000))
        case "sys.sleep_until":
            guard let text = arguments["time"]?.stringValue else {
                return .failure(.typeError("sys.sleep_until: time must be an RFC 3339 string"))
            }
            do {
                let target = try WorkflowTime.parse(text)
                guard let microseconds = Int64(exactly: (target * 1_000_000).rounded(.down)) else {
                    return .failure(.valueError("sys.sleep_until: \(text) is out of range"))
                }
                return await sleep(until: microseconds)
            } catch {
                return .failure(error)
            }
        case "sys.log":
            return .success(.null)
        case "uuid.generate":
            return .success(.string(UUID().uuidString.lowercased()))
        default:
            return await next.perform(request, context: context)
        }
    }

    public func plan(_ request: EffectRequest, context: EffectContext) async -> PlannedEffect? {
        await next.plan(request, context: context)
    }

    public func isReplaySafe(_ request: EffectRequest) async -> Bool {
        switch request.function {
        // Nothing outside saw the first value, so a different one after a crash is as good.
        case "sys.now", "sys.log", "uuid.generate": return true
        case "sys.sleep", "sys.sleep_until": return false
        default: return await next.isReplaySafe(request)
        }
    }

    /// Sleeps until an absolute time, so a sleep resumed after a restart is not restarted.
    private func sleep(until wakeAt: Int64) async -> Result<WorkflowValue, WorkflowError> {
        let remaining = wakeAt - now()
        if remaining > 0 {
            do {
                try await Task.sleep(for: .microseconds(remaining))
            } catch {
                return .failure(.systemError("the sleep was interrupted: the execution is stopping"))
            }
        }
        return .success(.null)
    }
}

/// Refuses every effect: the end of a performer chain with nothing configured for it.
public struct UnroutedEffectPerformer: EffectPerformer {
    public init() {}

    public func perform(_ request: EffectRequest, context: EffectContext) async -> Result<WorkflowValue, WorkflowError>
    {
        .failure(.systemError("\(request.function) is not routed to anything in this Sluice configuration"))
    }
}
