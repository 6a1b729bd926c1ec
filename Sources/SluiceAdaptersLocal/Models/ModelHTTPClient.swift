import AsyncHTTPClient
import NIOCore

/// The HTTP client model endpoints share. Unlike `HTTPClient.shared`, a refused connection fails
/// the call at once instead of being retried until the deadline: a model server that is down
/// must surface as `unavailable` quickly, so the workflow's own retry policy (with its backoff)
/// decides what happens next. Lives as long as the process.
enum ModelHTTPClient {
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(5)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
