public import Hummingbird
import Logging
import Testing

/// A Hummingbird server on a free loopback port for the length of one closure.
public enum TestHTTPServer {
    /// Runs `router` on 127.0.0.1 at a free port, calls `body` with the port, then stops it.
    public static func with(_ router: Router<BasicRequestContext>, _ body: @Sendable (Int) async throws -> Void)
        async throws
    {
        let port = PortBox()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await port.set(channel.localAddress?.port ?? 0) },
            logger: quietLogger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var bound = 0
            for _ in 0..<500 where bound == 0 {
                bound = await port.value
                if bound == 0 { try await Task.sleep(for: .milliseconds(10)) }
            }
            try #require(bound != 0, "the test server did not start")
            try await body(bound)
            group.cancelAll()
        }
    }

    /// Stopping by cancellation makes Hummingbird log errors that are expected here.
    private static let quietLogger: Logger = {
        var logger = Logger(label: "sluice.test-http-server")
        logger.logLevel = .critical
        return logger
    }()

    private actor PortBox {
        var value = 0
        func set(_ port: Int) { value = port }
    }
}
