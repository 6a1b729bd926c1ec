import Foundation
public import SluiceCore

/// Where the files a stack names (workflow sources, model files) come from: beside the stack
/// file on disk, or embedded in the binary for the built-in example.
public protocol StackSource: Sendable {
    /// The bytes of `path`, relative to the stack file.
    func read(_ path: String) throws(SluiceError) -> [UInt8]
}

/// Files in a directory. Paths may not leave it.
public struct DirectoryStackSource: StackSource {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func read(_ path: String) throws(SluiceError) -> [UInt8] {
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw SluiceError(.invalidArgument, "stack file paths stay beside the stack file: \(path)")
        }
        guard let data = FileManager.default.contents(atPath: directory + "/" + path) else {
            throw SluiceError(.notFound, "the stack names \(path), which is not in \(directory)")
        }
        return Array(data)
    }
}

/// Files held in memory: the embedded example, or the files a client sent with its stack.
public struct EmbeddedStackSource: StackSource {
    public let files: [String: [UInt8]]
    /// Whose files these are, for the error naming a missing one.
    public let origin: String

    public init(files: [String: [UInt8]], origin: String = "the embedded stack") {
        self.files = files
        self.origin = origin
    }

    public func read(_ path: String) throws(SluiceError) -> [UInt8] {
        guard let bytes = files[path] else { throw SluiceError(.notFound, "\(origin) has no \(path)") }
        return bytes
    }
}
