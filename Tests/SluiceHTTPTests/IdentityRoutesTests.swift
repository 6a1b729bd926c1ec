import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceEngine
import SluiceHTTP
import SluiceLog
import Testing

@Suite("The ID token keys are published for push endpoints to verify with")
struct IdentityRoutesTests {
    struct FixedKeys: IDTokenKeys {
        func jwks() throws -> [String: Any] { ["keys": [["kid": "k1", "kty": "RSA"]]] }
        func discoveryDocument(jwksPath: String) -> [String: Any] {
            ["issuer": "http://issuer", "jwks_uri": "http://issuer" + jwksPath]
        }
    }

    @Test("discovery and the key set answer without a token even when the server requires one")
    func keysAreOpen() async throws {
        let log = MemoryEventLog()
        let catalog = WorkflowCatalog(log: log)
        let services = SluiceRouter.Services(
            log: log, catalog: catalog,
            runner: ExecutionRunner(log: log, catalog: catalog, performer: UnroutedEffectPerformer()),
            idTokenKeys: FixedKeys())
        let router = SluiceRouter.make(services, configuration: .init(requireAuth: true))
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/.well-known/openid-configuration", method: .get) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["jwks_uri"] as? String == "http://issuer/oauth2/v3/certs")
            }
            try await client.execute(uri: "/oauth2/v3/certs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(
                    (StorageFixture.json(response.body)["keys"] as? [[String: Any]])?.first?["kid"] as? String == "k1")
            }
            try await client.execute(uri: "/v1/projects/p/topics", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
