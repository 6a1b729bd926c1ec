public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import SluiceAdapters
import SluiceCore
import SluiceResources

/// Runs a function behind an HTTP URL: the CloudEvent is POSTed in binary mode (`ce-*` headers,
/// the data as the body), as Eventarc delivers to Cloud Run; any 2xx acknowledges the event.
public struct HTTPFunctionRuntime: FunctionRuntime {
    /// Where the function listens.
    public var url: String
    /// Extra headers sent with every request (e.g. an authorization header; never logged).
    public var headers: [(name: String, value: String)]
    /// The most bytes kept of the response body.
    public var captureLimit: Int
    private let client: HTTPClient

    public init(
        url: String, headers: [(name: String, value: String)] = [], captureLimit: Int = 64 * 1024,
        client: HTTPClient? = nil
    ) {
        self.url = url
        self.headers = headers
        self.captureLimit = captureLimit
        // Fails a refused connection at once, so the dispatcher's retry policy spaces the retries.
        self.client = client ?? OutboundHTTPClient.shared
    }

    public func invoke(_ invocation: FunctionInvocation) async -> FunctionOutcome {
        let started = ContinuousClock.now
        do {
            try OutboundURL.check(url, "function URL")
        } catch {
            return FunctionOutcome(status: .unreachable(error.message), duration: ContinuousClock.now - started)
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in invocation.event.binaryModeHeaders { request.headers.add(name: header.name, value: header.value) }
        request.headers.add(name: "Idempotency-Key", value: invocation.idempotencyKey)
        for header in headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(string: invocation.event.data))
        let deadline = NIODeadline.now() + TimeAmount(invocation.timeout)
        do {
            let response = try await client.execute(request, deadline: deadline)
            let body = try await collect(response.body)
            let duration = ContinuousClock.now - started
            if (200..<300).contains(response.status.code) {
                return FunctionOutcome(status: .succeeded, output: body, duration: duration)
            }
            return FunctionOutcome(status: .failed("HTTP \(response.status.code)"), output: body, duration: duration)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return FunctionOutcome(status: .timedOut, duration: ContinuousClock.now - started)
        } catch {
            return FunctionOutcome(
                status: .unreachable("cannot reach \(url): \(error)"), duration: ContinuousClock.now - started)
        }
    }

    private func collect(_ body: HTTPClientResponse.Body) async throws -> CapturedText {
        var kept: [UInt8] = []
        var dropped = 0
        for try await chunk in body {
            let room = max(0, captureLimit - kept.count)
            kept.append(contentsOf: chunk.readableBytesView.prefix(room))
            dropped += max(0, chunk.readableBytes - room)
        }
        return CapturedText(text: String(decoding: kept, as: UTF8.self), droppedBytes: dropped)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
