public import SluiceCore
import Synchronization

/// A stack file with every file it names, as a client sends it to a server that cannot read the
/// client's disk: `sluice apply --server` reads the stack beside its file, the server resolves the
/// same stack from the bundle.
public struct StackBundle: Sendable, Equatable {
    /// The stack file's path on the client, for messages.
    public var path: String
    /// The stack file's YAML text.
    public var yaml: String
    /// The files the stack names (workflow sources, models), by the path the stack gives.
    public var files: [String: [UInt8]]

    public init(path: String, yaml: String, files: [String: [UInt8]]) {
        self.path = path
        self.yaml = yaml
        self.files = files
    }

    /// Resolves the stack from `source` and bundles exactly the files resolving it read.
    public static func collect(path: String, yaml: String, source: any StackSource) throws(SluiceError) -> (
        StackDesired, StackBundle
    ) {
        let recording = RecordingStackSource(source)
        let desired = try StackDesired(StackFile(yaml: yaml, path: path), source: recording)
        return (desired, StackBundle(path: path, yaml: yaml, files: recording.read))
    }

    /// The stack the bundle describes; a file it names but does not carry is an invalid argument.
    public func desired() throws(SluiceError) -> StackDesired {
        do {
            return try StackDesired(
                StackFile(yaml: yaml, path: path),
                source: EmbeddedStackSource(files: files, origin: "the stack sent from \(path)"))
        } catch  where error.code == .notFound {
            throw SluiceError(.invalidArgument, error.message)
        }
    }
}

/// Reads through another source and remembers what it read.
final class RecordingStackSource: StackSource {
    private let source: any StackSource
    private let files = Mutex<[String: [UInt8]]>([:])

    init(_ source: any StackSource) {
        self.source = source
    }

    var read: [String: [UInt8]] { files.withLock { $0 } }

    func read(_ path: String) throws(SluiceError) -> [UInt8] {
        let bytes = try source.read(path)
        files.withLock { $0[path] = bytes }
        return bytes
    }
}
