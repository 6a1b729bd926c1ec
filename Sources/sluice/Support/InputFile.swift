import Foundation

/// Reads a file named on the command line, failing with a message that names it and says why.
enum InputFile {
    /// The file's bytes (an upload's content, a message's data).
    static func bytes(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Unreadable("cannot read \(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Unreadable("cannot read \(path): permission denied or not a regular file")
        }
        return [UInt8](data)
    }

    static func text(_ path: String) throws -> String {
        guard let text = String(bytes: try bytes(path), encoding: .utf8) else {
            throw Unreadable("cannot read \(path): it is not UTF-8 text")
        }
        return text
    }

    /// A file that cannot be read; ArgumentParser prints the description and exits 1.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
