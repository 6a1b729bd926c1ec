internal import Foundation
import SluiceCore

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The POSIX calls the local store needs, with errors as `SluiceError`s that name no payload.
enum FileSystem {
    static func failure(_ what: String, _ code: Int32) -> SluiceError {
        SluiceError(.storageFailure, "\(what) failed: \(String(cString: strerror(code)))")
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// `mkdir -p`, fsyncing each parent whose entry list changed.
    static func createDirectory(_ path: String) throws(SluiceError) {
        if exists(path) { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try createDirectory(String(path[..<slash]))
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure("creating a store directory", errno) }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try syncDirectory(String(path[..<slash]))
        }
    }

    static func syncDirectory(_ path: String) throws(SluiceError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw failure("opening a store directory", errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("syncing a store directory", errno) }
    }

    /// Writes every byte to an open file, retrying on interruption.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(SluiceError) {
        let result = FileDescriptorWriting.writeAll(bytes, to: descriptor)
        guard result == 0 else { throw failure("writing a temporary file", result) }
    }

    /// Reads a byte range of a file; the range must lie within it.
    static func read(_ path: String, range: Range<Int64>?, name: String) throws(SluiceError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw SluiceError(.notFound, "no stored content \(name)") }
            throw failure("opening stored content \(name)", errno)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure("reading stored content \(name)", errno) }
        let size = Int64(info.st_size)
        let wanted = range ?? 0..<size
        guard wanted.lowerBound >= 0, wanted.upperBound <= size else {
            throw SluiceError(.invalidArgument, "range \(wanted) is outside content \(name) of \(size) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: Int(wanted.count))
        var done = 0
        let result: Int32 = bytes.withUnsafeMutableBytes { buffer in
            while done < buffer.count {
                let count = pread(
                    descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(wanted.lowerBound) + off_t(done))
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if count == 0 { return EIO }
                done += count
            }
            return 0
        }
        guard result == 0 else { throw failure("reading stored content \(name)", result) }
        return bytes
    }

    /// Regular files exactly `depth` directory levels below `root`.
    static func files(under root: String, depth: Int) throws(SluiceError) -> [String] {
        var level = [root]
        for _ in 0..<depth {
            var next: [String] = []
            for folder in level {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: folder)
                } catch {
                    throw SluiceError(.storageFailure, "listing a store directory failed")
                }
                next += names.sorted().map { folder + "/" + $0 }
            }
            level = next
        }
        return level.filter { path in
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        }
    }

    /// Seconds since the Unix epoch of the last modification; 0 when unknown.
    static func modificationTime(_ path: String) -> Double {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }
}
