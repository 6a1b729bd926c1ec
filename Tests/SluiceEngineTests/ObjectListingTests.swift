import Foundation
import SluiceAdaptersLocal
import SluiceCore
import SluiceLog
import SluiceLogSQLite
import SluiceTesting
import Testing

@testable import SluiceResources

/// Listing reads object names from the stream index and folds only the objects a page needs; it
/// must list exactly what folding every object event of the bucket lists.
@Suite("Object listings follow the names under the prefix, and page exactly as a fold of the whole bucket")
struct ObjectListingTests {
    /// Names that test the orders: percent signs and control characters (percent-encoded in
    /// stream names), non-ASCII, delimiters at several depths, and another bucket's objects.
    static let names = [
        "a.txt", "a%b", "a\u{1}b", "a b", "a!b", "a$b", "a&b", "a\u{7F}b", "b/1", "b/2", "b/c/3", "b%/4", "c",
        "dir/one.txt", "dir/two.txt", "dir2/x", "é.txt", "z", "zz/\u{1}", "%", "%%/y",
    ]

    enum LogKind: String, CaseIterable, Sendable { case memory, sqlite }

    @Test(
        "every listing, page by page, equals the fold of all the bucket's events",
        arguments: LogKind.allCases)
    func listingsEqualTheFoldOfAllEvents(kind: LogKind) async throws {
        let directory = ScratchSpace.url("sluice-list-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log: any EventLog =
            switch kind {
            case .memory: MemoryEventLog()
            case .sqlite: try await SQLiteEventLog.open(SQLiteEventLog.Configuration(path: directory + "/log.db"))
            }
        let storage = StorageService(log: log, objects: try LocalObjectStore(directory: directory + "/objects"))
        try await storage.createBucket("uploads", versioningEnabled: true)
        try await storage.createBucket("uploads2")
        for (index, name) in Self.names.enumerated() {
            try await storage.upload(bucket: "uploads", object: name, bytes: [UInt8(index)])
            if index % 3 == 0 { try await storage.upload(bucket: "uploads", object: name, bytes: [1, 2]) }
            if index % 5 == 0 { try await storage.deleteObject(bucket: "uploads", object: name) }
            try await storage.upload(bucket: "uploads2", object: name, bytes: [3])
        }
        for prefix in ["", "a", "b/", "dir", "%", "zz/"] {
            for delimiter in [nil, "/", "%"] {
                for versions in [false, true] {
                    for maxResults in [1, 2, 3, 1_000] {
                        let listing = ObjectListing(
                            prefix: prefix, delimiter: delimiter, maxResults: maxResults, versions: versions)
                        let expected = try await Self.referencePages(log, listing)
                        let listed = try await Self.pages(storage, listing)
                        #expect(listed == expected, "\(listing)")
                    }
                }
            }
        }
        if let sqlite = log as? SQLiteEventLog { await sqlite.close() }
    }

    /// Every page of a listing through the service.
    static func pages(_ storage: StorageService, _ listing: ObjectListing) async throws -> [ObjectPage] {
        var pages: [ObjectPage] = []
        var listing = listing
        while pages.count < 100 {
            let page = try await storage.listObjects("uploads", listing)
            pages.append(page)
            guard let token = page.nextPageToken else { break }
            listing.pageToken = token
        }
        return pages
    }

    /// Every page of a listing computed the simple way: fold every event whose stream has the
    /// prefix, sort the versions by name and generation, and page them.
    static func referencePages(_ log: any EventLog, _ listing: ObjectListing) async throws -> [ObjectPage] {
        let bucket = try BucketName("uploads")
        var states: [String: ObjectState] = [:]
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(
                    streamPrefix: ResourceStreams.objectPrefix(bucket, listing.prefix), after: after, limit: 1_000))
            for event in page.events {
                try states[event.stream.rawValue, default: ObjectState()].apply(ObjectEvent(event))
            }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        var versions: [ObjectVersion] = []
        for state in states.values {
            if let live = state.live { versions.append(live) }
            if listing.versions { versions += state.noncurrent.values }
        }
        versions.sort { ($0.name, $0.generation) < ($1.name, $1.generation) }
        var pages: [ObjectPage] = []
        var listing = listing
        while pages.count < 100 {
            let page = StorageService.page(versions, listing, after: try StorageService.tokenKey(listing.pageToken))
            pages.append(page)
            guard let token = page.nextPageToken else { break }
            listing.pageToken = token
        }
        return pages
    }
}
