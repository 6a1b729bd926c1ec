public import Foundation

/// Where tests keep their files: one directory per test process under the system's temporary
/// directory, removed when the process exits, so repeated `swift test` runs leave nothing behind.
/// A crashed run leaves its directory, named for its process id, to look into.
public enum ScratchSpace {
    /// A path for `name` under this process's scratch directory; the caller creates what it needs.
    public static func url(_ name: String) -> URL {
        root.appendingPathComponent(name)
    }

    private static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { ScratchSpace.removeRoot() }
        return root
    }()

    private static func removeRoot() {
        try? FileManager.default.removeItem(at: root)
    }
}
