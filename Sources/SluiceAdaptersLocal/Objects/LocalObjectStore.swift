internal import Foundation
public import SluiceAdapters
public import SluiceCore

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
/// File I/O runs on the actor's executor; large writes block it for their duration.
public actor LocalObjectStore: ObjectStore {
    /// The data directory.
    public nonisolated let directory: String
    private let now: @Sendable () -> Double
    private var counter = 0
    /// Distinguishes this store's temporary files from another instance's in the same process.
    private let instance = UInt32.random(in: 0...UInt32.max)

    /// Opens (creating when needed) a store in `directory`. `now` returns seconds since the
    /// Unix epoch (the wall clock by default); tests inject it to age files for sweeps.
    public init(
        directory: String,
        now: (@Sendable () -> Double)? = nil
    ) throws(SluiceError) {
        self.directory = directory
        self.now = now ?? { Date().timeIntervalSince1970 }
        for sub in ["objects", "tmp"] {
            try FileSystem.createDirectory(directory + "/" + sub)
        }
    }

    /// The path content with this digest is stored at.
    public nonisolated func path(for digest: ContentDigest) -> String {
        let hex = digest.hex
        return "\(directory)/objects/\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex)"
    }

    public func write(_ bytes: [UInt8]) async throws(SluiceError) -> StoredBlob {
        var writer = try BlobWriter(temporaryPath: nextTemporaryPath())
        try writer.append(bytes)
        return try writer.finish(path: path(for:))
    }

    public func write<Chunks: AsyncSequence<[UInt8], any Error>>(
        chunks: sending Chunks
    ) async throws(SluiceError) -> StoredBlob {
        var writer = try BlobWriter(temporaryPath: nextTemporaryPath())
        do {
            for try await chunk in chunks {
                try writer.append(chunk)
            }
        } catch let error as SluiceError {
            throw error
        } catch {
            throw SluiceError(.unavailable, "the upload stream failed before its end", cause: error)
        }
        return try writer.finish(path: path(for:))
    }

    private func nextTemporaryPath() -> String {
        counter += 1
        return "\(directory)/tmp/\(getpid()).\(instance).\(counter).tmp"
    }

    public func read(_ digest: ContentDigest, range: Range<Int64>?) async throws(SluiceError) -> [UInt8] {
        try FileSystem.read(path(for: digest), range: range, name: digest.hex)
    }

    public func contains(_ digest: ContentDigest) async throws(SluiceError) -> Bool {
        FileSystem.exists(path(for: digest))
    }

    public func sweep(keeping: Set<ContentDigest>, minimumAge: Duration) async throws(SluiceError) -> SweepReport {
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
