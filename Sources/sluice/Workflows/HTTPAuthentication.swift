import OrderedCollections
import SluiceAdaptersLocal
import SluiceWorkflows

/// The `auth` argument of `http.*` calls: `{type: OIDC, audience}` sends an ID token for the
/// workflow's service account, signed with the key the server publishes at `/oauth2/v3/certs`,
/// as GCP Workflows does for Cloud Run and Cloud Functions targets. `{type: OAuth2}` sends no
/// token: Sluice cannot mint Google access tokens, and its calls to Google APIs go to Sluice's
/// own adapters, which need none.
enum HTTPAuthentication {
    /// The `Authorization` header value the call asks for, if any.
    static func header(
        _ arguments: OrderedDictionary<String, WorkflowValue>, serviceAccount: @autoclosure () async -> String,
        tokens: ServiceAccountTokenIssuer?
    ) async -> Result<String?, WorkflowError> {
        guard let auth = arguments["auth"], auth != .null else { return .success(nil) }
        guard case .map(let fields) = auth, let type = fields["type"]?.stringValue else {
            return .failure(.typeError("auth must be a map with a type of OIDC or OAuth2"))
        }
        switch type.uppercased() {
        case "OAUTH2": return .success(nil)
        case "OIDC":
            guard let tokens else {
                return .failure(.authError("no ID token issuer is configured to sign OIDC tokens"))
            }
            let audience = fields["audience"]?.stringValue ?? arguments["url"]?.stringValue ?? ""
            do {
                let token = try tokens.idToken(serviceAccountEmail: await serviceAccount(), audience: audience)
                return .success("Bearer " + token)
            } catch {
                return .failure(.authError("cannot sign an OIDC token: \(error)"))
            }
        default: return .failure(.valueError("auth.type must be OIDC or OAuth2, not \(type)"))
        }
    }
}
