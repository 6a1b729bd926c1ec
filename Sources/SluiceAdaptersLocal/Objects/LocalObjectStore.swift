internal import Foundation
public import SluiceAdapters
public import SluiceCore
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Object bytes in a data directory, addressed only by their SHA-256.
///
/// Layout: `objects/ab/cd/abcd…` (two fan-out levels from the digest's first four hex digits)
/// and `tmp/` for writes in progress. A write goes to a new temporary file, is fsynced,
/// renamed to its content path, and the directory is fsynced, so a crash leaves either the
/// whole content or an orphaned temporary file, never a partial object. Object names never
/// reach the filesystem, so no name can address a path outside the directory.
///
/// Content of at most `inlineLimit` bytes is not written at all: it is handed back inline for
/// the finalize event to carry, so a small upload costs the log's group commit and nothing
/// more, instead of two fsyncs of its own (the way MinIO keeps small objects inline in their
/// metadata). File work runs on Dispatch threads, never on the cooperative pool, and writes
/// and reads run in parallel.
public final class LocalObjectStore: ObjectStore {
    /// The inline limit used unless told otherwise: a few KiB keeps events small while covering
    /// the JSON documents and images a prediction pipeline moves.
    public static let defaultInlineLimit = 8 * 1024

    /// The data directory.
    public let directory: String
    /// Content up to this many bytes travels inline in its event; 0 writes everything to files.
    public let inlineLimit: Int
    private let now: @Sendable () -> Double
    private let counter = Atomic<Int>(0)
    /// Distinguishes this store's temporary files from another instance's in the same process.
    private let instance = UInt32.random(in: 0...UInt32.max)

    /// Opens (creating when needed) a store in `directory`. `now` returns seconds since the
    /// Unix epoch (the wall clock by default); tests inject it to age files for sweeps.
    public init(
        directory: String,
        inlineLimit: Int = LocalObjectStore.defaultInlineLimit,
        now: (@Sendable () -> Double)? = nil
    ) throws(SluiceError) {
        self.directory = directory
        self.inlineLimit = max(0, inlineLimit)
        self.now = now ?? { Date().timeIntervalSince1970 }
        for sub in ["objects", "tmp"] {
            try FileSystem.createDirectory(directory + "/" + sub)
        }
    }

    /// The path content with this digest is stored at.
    public func path(for digest: ContentDigest) -> String {
        let hex = digest.hex
        return "\(directory)/objects/\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex)"
    }

    public func write(_ bytes: [UInt8]) async throws(SluiceError) -> StoredBlob {
        if bytes.count <= inlineLimit {
            var checksums = ContentChecksums()
            checksums.update(bytes)
            return checksums.blob(inline: InlineBytes(bytes))
        }
        let temporaryPath = nextTemporaryPath()
        return try await BlockingIO.run { () throws(SluiceError) in
            let writer = try BlobWriter(temporaryPath: temporaryPath)
            try writer.append(bytes)
            return try writer.finish(path: self.path(for:))
        }
    }

    public func write<Chunks: AsyncSequence<[UInt8], any Error>>(
        chunks: sending Chunks
    ) async throws(SluiceError) -> StoredBlob {
        let writer = try BlobWriter(temporaryPath: nextTemporaryPath())
        do {
            for try await chunk in chunks {
                try writer.append(chunk)
            }
        } catch let error as SluiceError {
            throw error
        } catch {
            throw SluiceError(.unavailable, "the upload stream failed before its end", cause: error)
        }
        return try await BlockingIO.run { () throws(SluiceError) in try writer.finish(path: self.path(for:)) }
    }

    private func nextTemporaryPath() -> String {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(directory)/tmp/\(getpid()).\(instance).\(number).tmp"
    }

    public func read(_ digest: ContentDigest, range: Range<Int64>?) async throws(SluiceError) -> [UInt8] {
        let path = path(for: digest)
        return try await BlockingIO.run { () throws(SluiceError) in
            try FileSystem.read(path, range: range, name: digest.hex)
        }
    }

    public func contains(_ digest: ContentDigest) async throws(SluiceError) -> Bool {
        FileSystem.exists(path(for: digest))
    }

    public func sweep(keeping: Set<ContentDigest>, minimumAge: Duration) async throws(SluiceError) -> SweepReport {
        try await BlockingIO.run { () throws(SluiceError) in
            try self.sweepFiles(keeping: keeping, minimumAge: minimumAge)
        }
    }

    private func sweepFiles(keeping: Set<ContentDigest>, minimumAge: Duration) throws(SluiceError) -> SweepReport {
        let cutoff =
            now() - Double(minimumAge.components.seconds)
            - Double(minimumAge.components.attoseconds) / 1e18
        var kept = 0
        var removed: [ContentDigest] = []
        for file in try FileSystem.files(under: directory + "/objects", depth: 3) {
            let name = String(file[file.index(after: file.lastIndex(of: "/")!)...])
            guard let digest = try? ContentDigest(hex: name), !keeping.contains(digest),
                FileSystem.modificationTime(file) < cutoff
            else {
                kept += 1
                continue
            }
            unlink(file)
            removed.append(digest)
        }
        var temporaries = 0
        for file in try FileSystem.files(under: directory + "/tmp", depth: 1)
        where FileSystem.modificationTime(file) < cutoff {
            unlink(file)
            temporaries += 1
        }
        return SweepReport(kept: kept, removed: removed.sorted(), removedTemporaryFiles: temporaries)
    }
}
