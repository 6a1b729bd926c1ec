import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceAdaptersLocal
import SluiceEngine
import SluiceHTTP
import SluiceLog
import SluiceTesting
import Testing

@Suite("The ID token keys are published for push endpoints to verify with")
struct IdentityRoutesTests {
    static func app(_ log: MemoryEventLog, keys: ServiceAccountTokenIssuer) -> some ApplicationProtocol {
        let catalog = WorkflowCatalog(log: log)
        let services = SluiceRouter.Services(
            log: log, catalog: catalog,
            runner: ExecutionRunner(log: log, catalog: catalog, performer: UnroutedEffectPerformer()),
            tokens: TokenDirectory(log: log), idTokenKeys: keys)
        return Application(router: SluiceRouter.make(services, configuration: .init(requireAuth: true)))
    }

    static func keyIDs(_ buffer: ByteBuffer) -> [String] {
        (StorageFixture.json(buffer)["keys"] as? [[String: Any]] ?? []).compactMap { $0["kid"] as? String }
    }

    @Test("discovery and the key set answer without a token even when the server requires one")
    func keysAreOpen() async throws {
        let keys = ServiceAccountTokenIssuer(keyFile: nil)
        keys.issuer = "http://issuer"
        try await Self.app(MemoryEventLog(), keys: keys).test(.router) { client in
            try await client.execute(uri: "/.well-known/openid-configuration", method: .get) { response in
                #expect(response.status == .ok)
                #expect(StorageFixture.json(response.body)["jwks_uri"] as? String == "http://issuer/oauth2/v3/certs")
            }
            try await client.execute(uri: "/oauth2/v3/certs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.keyIDs(response.body).count == 1)
            }
            try await client.execute(uri: "/v1/projects/p/topics", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("an admin rotates the signing key; the key set then holds the new key first and the retired one")
    func adminRotatesTheKey() async throws {
        let log = MemoryEventLog()
        let keys = ServiceAccountTokenIssuer(keyFile: nil)
        let before = try keys.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        let admin = try await TokenStore(log: log).create(name: nil, role: .admin, principal: "t").secret
        let editor = try await TokenStore(log: log).create(name: nil, role: .editor, principal: "t").secret
        try await Self.app(log, keys: keys).test(.router) { client in
            try await client.execute(
                uri: "/v1/sluice/identity:rotateSigningKey", method: .post,
                headers: [.authorization: "Bearer \(editor)"]
            ) { response in #expect(response.status == .forbidden) }
            var rotated: [String: Any] = [:]
            try await client.execute(
                uri: "/v1/sluice/identity:rotateSigningKey", method: .post, headers: [.authorization: "Bearer \(admin)"]
            ) { response in
                #expect(response.status == .ok)
                rotated = StorageFixture.json(response.body)
            }
            try await client.execute(uri: "/oauth2/v3/certs", method: .get) { response in
                let ids = Self.keyIDs(response.body)
                #expect(ids.count == 2)
                #expect(ids.first == rotated["keyId"] as? String)
                #expect(ids.last == rotated["retiredKeyId"] as? String)
            }
        }
        let jwks = try keys.jwks()
        _ = try IDTokenVerifier.claims(of: before, jwks: jwks)
        let after = try keys.idToken(serviceAccountEmail: "a@b.iam.gserviceaccount.com", audience: "x")
        _ = try IDTokenVerifier.claims(of: after, jwks: jwks)
    }
}
