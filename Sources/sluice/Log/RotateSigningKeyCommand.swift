import ArgumentParser
import Foundation
import NIOHTTP1
import SluiceAdaptersLocal

/// `sluice admin rotate-signing-key`: a new key for the ID tokens of authenticated pushes and
/// workflow OIDC calls. The old key's public half stays in `/oauth2/v3/certs` for two hours, so
/// tokens already sent still verify. On the data directory a running server picks the new key up
/// at its next token; `--server` has the server rotate it (admin token).
struct RotateSigningKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-signing-key",
        abstract: "Replace the ID token signing key; the old one keeps verifying for two hours."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var remote: ServerOptions

    func run() async throws {
        let keyID: String
        let retired: String?
        if let client = try remote.client() {
            let answer = try await client.json(.POST, "/v1/sluice/identity:rotateSigningKey")
            keyID = answer["keyId"] as? String ?? ""
            retired = answer["retiredKeyId"] as? String
        } else {
            let directory = URL(fileURLWithPath: database.path).deletingLastPathComponent().path
            let issuer = ServiceAccountTokenIssuer(
                keyFile: ServiceAccountTokenIssuer.keyFile(inDataDirectory: directory))
            (keyID, retired) = try issuer.rotate()
        }
        StandardOutput.line("signing key \(keyID)" + (retired.map { " (retired \($0))" } ?? ""))
    }
}
