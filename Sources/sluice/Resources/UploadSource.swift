import Foundation

/// The files an upload names: one file, or every regular file under a directory.
enum UploadSource {
    /// A file to upload and the object it becomes.
    struct File: Sendable, Hashable {
        var path: String
        var objectName: String
    }

    /// The files at `path`: a file as `name` (default: its own name), or a directory's regular
    /// files, recursively and sorted, as `prefix` + their relative paths. Symbolic links and hidden
    /// entries are skipped, so a walk never leaves the directory.
    static func files(at path: String, name: String?, prefix: String) throws -> [File] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputFile.Unreadable("cannot read \(path): no such file or directory")
        }
        guard isDirectory.boolValue else {
            return [File(path: path, objectName: name ?? (path as NSString).lastPathComponent)]
        }
        if name != nil {
            throw InputFile.Unreadable("\(path) is a directory: name its objects with --prefix, not --name")
        }
        let root = URL(fileURLWithPath: path).standardizedFileURL
        guard
            let walk = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
                options: [.skipsHiddenFiles])
        else {
            throw InputFile.Unreadable("cannot read the directory \(path)")
        }
        var files: [File] = []
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walk {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            if values.isSymbolicLink == true {
                walk.skipDescendants()
                continue
            }
            guard values.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(rootPath) else { continue }
            files.append(File(path: full, objectName: prefix + String(full.dropFirst(rootPath.count))))
        }
        guard !files.isEmpty else { throw InputFile.Unreadable("\(path) holds no files to upload") }
        return files.sorted { $0.objectName < $1.objectName }
    }
}

/// The content type an upload gets when none is given: by extension, as `gcloud storage cp` does.
enum ContentTypes {
    static let byExtension: [String: String] = [
        "json": "application/json", "txt": "text/plain", "csv": "text/csv", "html": "text/html",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "pdf": "application/pdf", "yaml": "application/yaml", "yml": "application/yaml",
        "jsonl": "application/jsonl", "parquet": "application/vnd.apache.parquet", "npy": "application/octet-stream",
    ]

    static func guess(forName name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        return byExtension[ext] ?? "application/octet-stream"
    }
}
