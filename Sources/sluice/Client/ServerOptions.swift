import ArgumentParser

/// `--server URL`: run a command through a running Sluice server's HTTP API instead of opening
/// the data directory's log; the bearer token comes from `SLUICE_TOKEN`.
struct ServerOptions: ParsableArguments {
    @Option(help: "A running server to work through, e.g. http://127.0.0.1:8080 (token from SLUICE_TOKEN).")
    var server: String?

    /// The client for `--server`, or nil to work on the data directory.
    func client() throws -> SluiceAPIClient? {
        guard let server else { return nil }
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw ValidationError("--server takes an http(s) URL, not \(server)")
        }
        return SluiceAPIClient(base: server.hasSuffix("/") ? String(server.dropLast()) : server)
    }
}
