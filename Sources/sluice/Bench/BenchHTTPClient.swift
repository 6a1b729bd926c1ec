import NIOCore
import NIOHTTP1
import NIOPosix
import SluiceCore
import Synchronization

/// The HTTP client `sluice bench http` drives the server with: plain HTTP/1.1 keep-alive
/// connections over NIO's own codec, one request at a time on each, and a pool that reuses them.
/// The client shares the machine's cores with the server it measures, so it is kept to the wire
/// work: no redirects, tracing, per-request timers or URL parsing, which a general client such
/// as AsyncHTTPClient does on every request.
final class BenchHTTPClient: Sendable {
    private let group: any EventLoopGroup
    private let port: Int
    private let idle = Mutex<[BenchHTTPConnection]>([])

    init(group: any EventLoopGroup, port: Int) {
        self.group = group
        self.port = port
    }

    /// POSTs `body` to `path` and returns the response status once the whole response is read.
    func post(_ path: String, contentType: String, body: ByteBuffer) async throws -> HTTPResponseStatus {
        let connection = try await take()
        do {
            let status = try await connection.post(path, contentType: contentType, body: body)
            idle.withLock { $0.append(connection) }
            return status
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Closes every idle connection and returns once they are closed.
    func shutdown() async {
        for connection in idle.withLock({ idle in
            defer { idle.removeAll() }; return idle
        }) {
            await connection.close()
        }
    }

    /// An idle connection the server has not closed meanwhile, or a new one.
    private func take() async throws -> BenchHTTPConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if connection.isActive { return connection }
            await connection.close()
        }
        return try await BenchHTTPConnection.connect(group: group, port: port)
    }
}

/// One keep-alive connection to the server under test.
final class BenchHTTPConnection: Sendable {
    private let channel: any Channel
    private let host: String

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.host = "127.0.0.1:\(port)"
    }

    static func connect(group: any EventLoopGroup, port: Int) async throws -> BenchHTTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(BenchResponseHandler())
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return BenchHTTPConnection(channel: channel, port: port)
    }

    /// How long a response may take before the request fails and its connection is closed.
    static let responseTimeout = TimeAmount.seconds(60)

    var isActive: Bool { channel.isActive }

    func post(_ path: String, contentType: String, body: ByteBuffer) async throws -> HTTPResponseStatus {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Content-Type", value: contentType)
        head.headers.add(name: "Content-Length", value: String(body.readableBytes))
        let answered = channel.eventLoop.makePromise(of: HTTPResponseStatus.self)
        // A write that never reaches the handler (a closed channel) fails the answer too.
        channel.writeAndFlush(BenchRequest(head: head, body: body, answered: answered)).whenFailure {
            answered.fail($0)
        }
        let timeout = channel.eventLoop.scheduleTask(in: Self.responseTimeout) { [channel] in
            answered.fail(SluiceError(.unavailable, "no response to POST \(path) within 60 s"))
            channel.close(promise: nil)
        }
        defer { timeout.cancel() }
        return try await answered.futureResult.get()
    }

    func close() async { try? await channel.close() }
}

/// A request and the promise its response status completes.
struct BenchRequest: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer
    let answered: EventLoopPromise<HTTPResponseStatus>
}

/// Writes requests and answers each one's promise with its response's status, in order; a
/// closed or failed connection fails every request still waiting.
final class BenchResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = BenchRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var waiting = CircularBuffer<EventLoopPromise<HTTPResponseStatus>>()
    private var status: HTTPResponseStatus?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.answered)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = head.status
        case .body: break
        case .end:
            let answered = waiting.popFirst()
            answered?.succeed(status ?? .internalServerError)
            status = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failWaiting(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failWaiting(SluiceError(.unavailable, "the server closed the connection"))
        context.fireChannelInactive()
    }

    private func failWaiting(_ error: any Error) {
        while let answered = waiting.popFirst() { answered.fail(error) }
    }
}
