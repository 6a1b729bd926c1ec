/// Everything `sluice serve` can be configured with. Every field has a default; `resolve` fills
/// them from flags, then the environment, then a YAML file (`ServeConfiguration+Sources.swift`).
public struct ServeConfiguration: Sendable, Hashable {
    /// The address to listen on. Anything but loopback requires bearer tokens.
    public var host = "127.0.0.1"
    /// The port to listen on; 0 picks a free one.
    public var port = 8080
    /// The data directory; the database defaults to `sluice.db` in it.
    public var dataDir = "./sluice-data"
    /// The SQLite database of the event log; objects and models live beside it.
    public var db: String?
    /// The directory of built-in models (`NAME.json` each).
    public var models: String?
    /// Commit durability: `full` or `normal`.
    public var synchronous = "full"
    /// Most executions run at once.
    public var maxExecutions = 256
    /// Larger request bodies get 400 INVALID_ARGUMENT, as Google answers them.
    public var maxBodyBytes = 32 << 20
    /// Seconds a connection may send nothing, mid-request or between requests, before it is
    /// closed, so stalled connections cannot hold every file descriptor.
    public var idleTimeoutSeconds = 60
    /// Objects up to this size are kept inside their finalize event instead of a file.
    public var inlineObjectBytes = 8 * 1024
    /// Whether loopback requests need a bearer token too.
    public var requireAuth = false
    /// The least level logged to standard error.
    public var logLevel = "warning"
    /// The stack applied at start: a path, `example` (embedded in the binary) or `none`.
    public var stack = "example"
    /// The URL others reach this server at, when it is not the bound address (a proxy, a name, a
    /// wildcard bind): what callback endpoints and the ID tokens' `iss` name.
    public var publicURL: String?

    /// Every setting at its default.
    public init() {}

    /// The database file: `db`, or `sluice.db` in the data directory.
    public var databasePath: String { db ?? Self.joined(dataDir, "sluice.db") }

    /// The models directory: `models`, or `models/` beside the database.
    public var modelsDirectory: String { models ?? Self.joined(Self.directory(of: databasePath), "models") }

    /// Whether `host` names only this machine, where Sluice may serve without tokens.
    public var isLoopback: Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if ["localhost", "::1", "0:0:0:0:0:0:0:1"].contains(bare.lowercased()) { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Whether the server must check bearer tokens: always off loopback, on loopback by choice.
    public var authRequired: Bool { requireAuth || !isLoopback }

    static func joined(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
