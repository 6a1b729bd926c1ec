import AsyncHTTPClient
import NIOCore

/// The HTTP client model endpoints and push deliveries share. Unlike `HTTPClient.shared`, a
/// refused connection fails the call at once instead of being retried until the deadline: a
/// model server or push endpoint that is down must surface quickly, so the caller's own retry
/// policy (a workflow's, a subscription's) decides what happens next, with its backoff. Lives as
/// long as the process.
enum OutboundHTTPClient {
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(5)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
