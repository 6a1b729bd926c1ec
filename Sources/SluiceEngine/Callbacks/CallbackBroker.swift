import Crypto
import Foundation
import OrderedCollections
public import SluiceCore
public import SluiceLog
public import SluiceWorkflows

/// The callbacks of `events.create_callback_endpoint` and `events.await_callback`, durable in the
/// log. Stream `callback/EXECUTION/ID` holds `callback.received` (each request to the endpoint,
/// recorded before its sender gets the 200) and `callback.consumed` (which received request an
/// await returned, recorded under the await's idempotency key). So a request that arrives before
/// the await is kept for it, awaits take requests in arrival order one each, an await performed
/// again after a crash returns the request it took the first time, and nothing is lost to a
/// restart. Waiting is woken by a request received in this process, and re-reads the log every
/// second for one received by another.
public actor CallbackBroker {
    public static let receivedType = "callback.received"
    public static let consumedType = "callback.consumed"

    private let log: any EventLog
    private var baseURL: String
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init(log: any EventLog, baseURL: String = "http://127.0.0.1:8080") {
        self.log = log
        self.baseURL = baseURL
    }

    /// Where the server listens; callback URLs made from now on point there.
    public func setBaseURL(_ url: String) { baseURL = url }

    static func stream(execution: String, callback: String) -> StreamName {
        StreamName(unchecked: "callback/\(execution)/\(callback)")
    }

    /// The endpoint for the callback an effect creates: its id derives from the effect's
    /// idempotency key, so the same effect always names the same endpoint.
    public func endpoint(_ context: EffectContext, method: String) -> WorkflowValue {
        let digest = SHA256.hash(data: Data(context.idempotencyKey.utf8))
        let id = digest.prefix(12).map { String(format: "%02x", $0) }.joined()
        let url =
            "\(baseURL)/v1/projects/local/locations/local/workflows/\(context.workflow)/executions/"
            + "\(context.executionID)/callbacks/\(id)"
        return .object(["url": .string(url), "method": .string(method)])
    }

    /// Records a request to a callback endpoint and wakes its awaits.
    public func receive(execution: String, callback: String, request: WorkflowValue) async throws(SluiceError) {
        let stream = Self.stream(execution: execution, callback: callback)
        let data = try EventPayload.encode(["request": request])
        _ = try await log.append(
            [NewEvent(type: Self.receivedType, data: data, metadata: EventMetadata(principal: "callback"))], to: stream)
        for waiter in waiters.removeValue(forKey: stream.rawValue) ?? [] { waiter.resume() }
    }

    /// Waits for the next request to `callbackURL` not taken by another await, until
    /// `requestedAt + timeout` seconds.
    public func await(
        _ callbackURL: String, context: EffectContext, timeoutSeconds: Double, now: @Sendable () -> Int64
    ) async -> Result<WorkflowValue, WorkflowError> {
        guard let callback = Self.callbackID(callbackURL, execution: context.executionID) else {
            return .failure(
                .valueError("\(callbackURL) is not a callback endpoint of execution \(context.executionID)"))
        }
        let stream = Self.stream(execution: context.executionID, callback: callback)
        let deadline = context.requestedAt + Int64(timeoutSeconds * 1_000_000)
        do {
            while true {
                if let request = try await take(stream, key: context.idempotencyKey) { return .success(request) }
                let remaining = deadline - now()
                guard remaining > 0 else {
                    return .failure(.timeout("Timeout waiting for a callback after \(timeoutSeconds) seconds"))
                }
                await wait(stream, atMost: min(remaining, 1_000_000))
            }
        } catch {
            return .failure(.systemError("the callback could not be read or recorded: \(error.message)"))
        }
    }

    /// The request this await took before, or the oldest one nobody took (recording that this
    /// await took it); nil when there is none yet.
    private func take(_ stream: StreamName, key: String) async throws(SluiceError) -> WorkflowValue? {
        for _ in 0..<16 {
            let events = try await log.readStream(stream, from: 1, limit: 100_000)
            var taken: [Int64: String] = [:]
            for event in events where event.type == Self.consumedType {
                let fields = try EventPayload.decode(event)
                guard case .int(let version)? = fields["version"], let by = fields["key"]?.stringValue else { continue }
                taken[version] = by
            }
            let received = events.filter { $0.type == Self.receivedType }
            if let mine = taken.first(where: { $0.value == key })?.key,
                let event = received.first(where: { $0.version == mine })
            {
                return try EventPayload.decode(event)["request"]
            }
            guard let next = received.first(where: { taken[$0.version] == nil }) else { return nil }
            let data = try EventPayload.encode(["version": .int(next.version), "key": .string(key)])
            do {
                _ = try await log.append(
                    [
                        NewEvent(
                            type: Self.consumedType, data: data, metadata: EventMetadata(principal: "sluice-engine"))
                    ],
                    to: stream, expectedVersion: .exact(events.last?.version ?? 0))
                return try EventPayload.decode(next)["request"]
            } catch  where error.code == .wrongExpectedVersion {
                continue  // another await took one meanwhile: look again
            }
        }
        throw SluiceError(.unavailable, "too many awaits compete for \(stream)")
    }

    private func wait(_ stream: StreamName, atMost micros: Int64) async {
        await withCheckedContinuation { continuation in
            waiters[stream.rawValue, default: []].append(continuation)
            Task {
                try? await Task.sleep(for: .microseconds(micros))
                self.wake(stream.rawValue)
            }
        }
    }

    private func wake(_ stream: String) {
        for waiter in waiters.removeValue(forKey: stream) ?? [] { waiter.resume() }
    }

    /// The HTTP method callback endpoint `callback` was created for, as `history` recorded its
    /// `events.create_callback_endpoint`; nil when the history holds no such endpoint (yet: a
    /// replay-safe creation is recorded with the execution's next append).
    public static func method(of callback: String, in history: ExecutionHistory) -> String? {
        let suffix = "/callbacks/" + callback
        for case .success(let value) in history.results.values {
            guard let url = value["url"]?.stringValue, url.hasSuffix(suffix) else { continue }
            return value["method"]?.stringValue
        }
        return nil
    }

    /// The callback id in a URL this broker made for `execution`.
    static func callbackID(_ url: String, execution: String) -> String? {
        let marker = "/executions/\(execution)/callbacks/"
        guard let range = url.range(of: marker) else { return nil }
        let id = url[range.upperBound...]
        guard !id.isEmpty, id.allSatisfy({ $0.isHexDigit }) else { return nil }
        return String(id)
    }
}
