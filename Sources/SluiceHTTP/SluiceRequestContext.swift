public import Hummingbird

/// What Sluice's middleware learns about a request before its route runs.
public struct SluiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token that authenticated the request; nil when auth is off and none was sent.
    public var token: AccessToken?
    /// The largest body a route reads; `BodyLimitMiddleware` sets it from the configuration.
    public var maxUploadSize: Int = SluiceRouter.Configuration.defaultMaxBodyBytes

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    /// Who the events this request causes are recorded as: the token's id, or `api` without one.
    public var principal: String { token?.id ?? "api" }
}
