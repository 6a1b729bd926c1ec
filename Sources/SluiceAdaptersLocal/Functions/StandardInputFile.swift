import Foundation
import SystemPackage

/// A command's standard input, filled before the command starts.
///
/// The text goes into an unlinked temporary file rather than a pipe Sluice writes while the
/// child runs: a child that exits without reading can then neither block Sluice nor make a
/// write fail half-way.
enum StandardInputFile {
    /// A read descriptor positioned at the start of `text`; the caller owns it.
    static func holding(_ text: String) throws -> FileDescriptor {
        let path = FilePath(NSTemporaryDirectory() + "sluice-stdin-\(UUID().uuidString)")
        let file = try FileDescriptor.open(
            path, .readWrite, options: [.create, .exclusiveCreate], permissions: .ownerReadWrite)
        do {
            _ = unlink(path.description)
            try file.writeAll(Array(text.utf8))
            _ = try file.seek(offset: 0, from: .start)
            return file
        } catch {
            try? file.close()
            throw error
        }
    }
}
