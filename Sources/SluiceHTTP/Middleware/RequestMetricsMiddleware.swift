public import CoreMetrics
public import Hummingbird
import Synchronization

/// Counts requests and times them by route pattern, method and status:
/// `sluice_http_requests_total` and `sluice_http_request_duration_seconds`.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metrics: RequestMetrics

    /// Reports to `factory`, so tests can use a registry of their own.
    public init(factory: any MetricsFactory) {
        metrics = RequestMetrics(factory: factory)
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context, status: status, since: started)
            throw error
        }
    }

    private func record(
        _ request: Request, _ context: Context, status: HTTPResponse.Status, since started: ContinuousClock.Instant
    ) {
        let key = RequestMetrics.Key(
            route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: Int(status.code))
        metrics.record(key, elapsed: ContinuousClock.now - started)
    }
}

/// One counter and one timer per route, method and status, each made once.
final class RequestMetrics: Sendable {
    static let requestsLabel = "sluice_http_requests_total"
    static let durationLabel = "sluice_http_request_duration_seconds"

    struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct Pair: Sendable {
        var counter: Counter
        var timer: CoreMetrics.Timer
    }

    private let factory: any MetricsFactory
    private let made = Mutex<[Key: Pair]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func record(_ key: Key, elapsed: Duration) {
        let pair = made.withLock { made in
            if let existing = made[key] { return existing }
            let dimensions = [("route", key.route), ("method", key.method), ("status", String(key.status))]
            let pair = Pair(
                counter: Counter(label: Self.requestsLabel, dimensions: dimensions, factory: factory),
                timer: CoreMetrics.Timer(label: Self.durationLabel, dimensions: dimensions, factory: factory))
            made[key] = pair
            return pair
        }
        pair.counter.increment()
        pair.timer.recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
