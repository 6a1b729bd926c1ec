public import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SluiceCore
public import SluiceEngine
import SluiceResources

/// Delivers push subscriptions over HTTP: POSTs each push and acknowledges on the statuses
/// Pub/Sub treats as success (102, 200, 201, 202, 204); anything else, a timeout at the ack
/// deadline or a refused connection fails the attempt. A subscription with `oidcToken` gets an
/// `Authorization: Bearer` ID token from `tokens`, as Pub/Sub's authenticated push does.
public struct HTTPPushSender: PushSender {
    private let client: HTTPClient
    private let tokens: ServiceAccountTokenIssuer?

    public init(client: HTTPClient? = nil, tokens: ServiceAccountTokenIssuer? = nil) {
        self.client = client ?? OutboundHTTPClient.shared
        self.tokens = tokens
    }

    static let successStatuses: Set<UInt> = [102, 200, 201, 202, 204]

    public func send(_ push: PushRequest) async -> PushResult {
        do {
            try OutboundURL.check(push.endpoint, "the push endpoint")
        } catch {
            return .failed(error.message)
        }
        var request = HTTPClientRequest(url: push.endpoint)
        request.method = .POST
        for (name, value) in push.headers.sorted(by: { $0.key < $1.key }) {
            request.headers.add(name: name, value: value)
        }
        if let oidc = push.oidcToken {
            guard let tokens else { return .failed("no token issuer is configured for authenticated push") }
            do {
                let token = try tokens.idToken(serviceAccountEmail: oidc.serviceAccountEmail, audience: oidc.audience)
                request.headers.add(name: "authorization", value: "Bearer \(token)")
            } catch {
                return .failed("cannot mint an ID token for \(oidc.serviceAccountEmail): \(error)")
            }
        }
        request.body = .bytes(ByteBuffer(bytes: push.body))
        do {
            let response = try await client.execute(request, deadline: .now() + TimeAmount(push.timeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = response.status.code
            return Self.successStatuses.contains(status) ? .acknowledged : .failed("HTTP \(status)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .failed("no answer within the ack deadline (\(push.timeout))")
        } catch {
            return .failed("cannot reach the push endpoint: \(error)")
        }
    }
}
