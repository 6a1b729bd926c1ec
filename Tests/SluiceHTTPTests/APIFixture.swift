import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import SluiceStack
import Testing

/// The production router on an in-memory log, with its own metrics registry and models, driven
/// the way Google's clients call it.
struct APIFixture {
    let log = MemoryEventLog()
    let catalog: WorkflowCatalog
    let runner: ExecutionRunner
    let metrics = SluiceMetrics()
    let models = ModelRegistry()
    let tokens: TokenDirectory
    let configuration: SluiceRouter.Configuration
    /// The callback broker the routes deliver to, when the fixture serves callbacks.
    let callbacks: CallbackBroker?
    /// What the stack API applies with, when the fixture serves it.
    let stacks: StackApplier?

    init(
        requireAuth: Bool = false,
        maxBodyBytes: Int = SluiceRouter.Configuration.defaultMaxBodyBytes,
        performer: any EffectPerformer = UnroutedEffectPerformer(),
        servesCallbacks: Bool = false,
        stacks: ((any EventLog, WorkflowCatalog) throws -> StackApplier)? = nil
    ) rethrows {
        catalog = WorkflowCatalog(log: log)
        let broker = servesCallbacks ? CallbackBroker(log: log) : nil
        callbacks = broker
        let performing: any EffectPerformer =
            broker.map { CallbackEffectPerformer(broker: $0, now: WallClock.microsecondsSinceEpoch, next: performer) }
            ?? performer
        runner = ExecutionRunner(
            log: log, catalog: catalog, performer: performing, metrics: ExecutionMetrics(factory: metrics.factory))
        tokens = TokenDirectory(log: log)
        configuration = SluiceRouter.Configuration(maxBodyBytes: maxBodyBytes, requireAuth: requireAuth)
        self.stacks = try stacks?(log, catalog)
    }

    func app() -> some ApplicationProtocol {
        Application(
            router: SluiceRouter.make(
                SluiceRouter.Services(
                    log: log, catalog: catalog, runner: runner, models: models, tokens: tokens, metrics: metrics,
                    callbacks: callbacks, stacks: stacks),
                configuration: configuration))
    }

    /// A new token's secret, as `sluice tokens create` prints it.
    func secret(_ role: Role) async throws -> String {
        try await TokenStore(log: log).create(name: nil, role: role, principal: "test").secret
    }

    static func bearer(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)"] }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any]) ?? [:]
    }

    /// The `error` object of a Google error body.
    static func error(_ buffer: ByteBuffer) -> [String: Any] {
        json(buffer)["error"] as? [String: Any] ?? [:]
    }

    /// Deploys workflow `double` (``doubling``) through the API and expects it to succeed.
    static func deployDoubling(_ client: some TestClientProtocol) async throws {
        try await client.execute(
            uri: base + "/workflows?workflowId=double", method: .post, body: ByteBuffer(string: doubling)
        ) { #expect($0.status == .ok) }
    }

    /// Expects a Google error body with status INVALID_ARGUMENT and HTTP 400.
    static func expectInvalidArgument(_ response: TestResponse) {
        #expect(response.status == .badRequest)
        #expect(error(response.body)["status"] as? String == "INVALID_ARGUMENT")
    }

    static let base = "/v1/projects/demo/locations/local"
    static let doubling =
        #"{"sourceContents": "main:\n  params: [args]\n  steps:\n    - r:\n        return: ${args.n * 2}\n"}"#
    static let tripling =
        #"{"sourceContents": "main:\n  params: [args]\n  steps:\n    - r:\n        return: ${args.n * 3}\n"}"#
}
