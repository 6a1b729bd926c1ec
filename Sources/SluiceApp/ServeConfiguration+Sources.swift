import Foundation
public import SluiceCore
import Yams

extension ServeConfiguration {
    /// One setting, named the same way everywhere: `max_body_bytes` in the file,
    /// `SLUICE_MAX_BODY_BYTES` in the environment, `--max-body-bytes` on the command line.
    public struct Key: Sendable {
        /// The name in the configuration file.
        public let name: String
        /// What it sets, for people.
        public let help: String
        let apply: @Sendable (inout ServeConfiguration, String) throws(SluiceError) -> Void

        /// The environment variable.
        public var environmentName: String { "SLUICE_" + name.uppercased() }
        /// The command-line flag.
        public var flag: String { "--" + name.replacingOccurrences(of: "_", with: "-") }
    }

    /// The environment variable that names a configuration file when `--config` does not.
    public static let configFileVariable = "SLUICE_CONFIG"

    /// Every key, in the order the README documents them.
    public static let keys: [Key] = [
        Key(name: "host", help: "address to listen on; anything but loopback requires tokens") { $0.host = $1 },
        Key(name: "port", help: "port to listen on (0 picks a free one)") { config, text throws(SluiceError) in
            config.port = try integer(text, key: "port", in: 0...65_535)
        },
        Key(name: "data_dir", help: "data directory; the database defaults to sluice.db in it") { $0.dataDir = $1 },
        Key(name: "db", help: "SQLite database of the event log; objects/ and models/ live beside it") {
            $0.db = $1
        },
        Key(name: "models", help: "directory of built-in models (NAME.json each)") { $0.models = $1 },
        Key(name: "synchronous", help: "commit durability: full (fsync every commit) or normal") {
            config, text throws(SluiceError) in
            config.synchronous = try choice(text, key: "synchronous", among: ["full", "normal"])
        },
        Key(name: "max_executions", help: "most executions run at once") { config, text throws(SluiceError) in
            config.maxExecutions = try integer(text, key: "max_executions", in: 1...1_000_000)
        },
        Key(name: "max_body_bytes", help: "larger request bodies are refused") { config, text throws(SluiceError) in
            config.maxBodyBytes = try integer(text, key: "max_body_bytes", in: 1...(1 << 40))
        },
        Key(
            name: "idle_timeout_seconds",
            help: "a connection that sends nothing this long (mid-request or between requests) is closed"
        ) { config, text throws(SluiceError) in
            config.idleTimeoutSeconds = try integer(text, key: "idle_timeout_seconds", in: 1...86_400)
        },
        Key(
            name: "inline_object_bytes",
            help: "objects up to this size live in their finalize event, not a file of their own (0 turns it off)"
        ) { config, text throws(SluiceError) in
            config.inlineObjectBytes = try integer(text, key: "inline_object_bytes", in: 0...(1 << 20))
        },
        Key(name: "require_auth", help: "require bearer tokens on loopback too (true/false)") {
            config, text throws(SluiceError) in
            config.requireAuth = try boolean(text, key: "require_auth")
        },
        Key(name: "stack", help: "stack file applied at start: a path, `example` (the built-in ML pipeline) or `none`")
        {
            $0.stack = $1
        },
        Key(
            name: "public_url",
            help:
                "URL clients reach the server at, for callback endpoints and ID tokens' iss (default: the bound address)"
        ) { config, text throws(SluiceError) in
            guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8, !text.contains(" ") else {
                throw SluiceError(.invalidArgument, "public_url must be an http(s) URL, not '\(text)'")
            }
            config.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        },
        Key(name: "log_level", help: "trace, debug, info, notice, warning, error or critical") {
            config, text throws(SluiceError) in
            config.logLevel = try choice(
                text, key: "log_level", among: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
        },
    ]

    /// Defaults, overridden by the file, then the environment, then flags (key name -> value as
    /// typed). `fileText` is the file's YAML, `filePath` its name for messages.
    public static func resolve(
        flags: [String: String],
        environment: [String: String],
        fileText: String? = nil,
        filePath: String = "the configuration file"
    ) throws(SluiceError) -> ServeConfiguration {
        var configuration = ServeConfiguration()
        if let fileText {
            for (name, value) in try fileValues(fileText, path: filePath) {
                try key(name, source: filePath).apply(&configuration, value)
            }
        }
        for key in keys {
            guard let value = environment[key.environmentName] else { continue }
            try key.apply(&configuration, value)
        }
        for (name, value) in flags.sorted(by: { $0.key < $1.key }) {
            try key(name, source: "the command line").apply(&configuration, value)
        }
        return configuration
    }

    private static func key(_ name: String, source: String) throws(SluiceError) -> Key {
        guard let key = keys.first(where: { $0.name == name }) else {
            throw SluiceError(
                .invalidArgument,
                "unknown configuration key '\(name)' in \(source); known keys: \(keys.map(\.name).joined(separator: ", "))"
            )
        }
        return key
    }

    /// The file's top-level mapping, each value as text; nested values are refused.
    private static func fileValues(_ text: String, path: String) throws(SluiceError) -> [(String, String)] {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch {
            throw SluiceError(.invalidArgument, "\(path) is not YAML: \(error)")
        }
        guard let loaded else { return [] }
        guard let mapping = loaded as? [String: Any] else {
            throw SluiceError(.invalidArgument, "\(path) must be a mapping of configuration keys to values")
        }
        var values: [(String, String)] = []
        for (name, value) in mapping.sorted(by: { $0.key < $1.key }) {
            switch value {
            case let text as String: values.append((name, text))
            case let flag as Bool: values.append((name, flag ? "true" : "false"))
            case let number as Int: values.append((name, String(number)))
            default:
                _ = try key(name, source: path)
                throw SluiceError(.invalidArgument, "\(name) in \(path) must be a string, a number or a boolean")
            }
        }
        return values
    }

    private static func integer(_ text: String, key: String, in range: ClosedRange<Int>) throws(SluiceError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw SluiceError(
                .invalidArgument, "\(key) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private static func boolean(_ text: String, key: String) throws(SluiceError) -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw SluiceError(.invalidArgument, "\(key) must be true or false")
        }
    }

    private static func choice(_ text: String, key: String, among choices: [String]) throws(SluiceError) -> String {
        guard choices.contains(text) else {
            throw SluiceError(.invalidArgument, "\(key) must be one of \(choices.joined(separator: ", "))")
        }
        return text
    }
}
