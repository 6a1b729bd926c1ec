import Foundation
public import SluiceCore
import SluiceLog

/// What `objects.list` asks for, as in the JSON API.
public struct ObjectListing: Sendable, Hashable {
    public var prefix: String
    /// Names with this after the prefix are rolled up into `prefixes` (usually `/`).
    public var delimiter: String?
    public var maxResults: Int
    /// Where the previous page ended, as its `nextPageToken` said (opaque).
    public var pageToken: String?
    /// Lists noncurrent generations too.
    public var versions: Bool

    public init(
        prefix: String = "", delimiter: String? = nil, maxResults: Int = 1_000, pageToken: String? = nil,
        versions: Bool = false
    ) {
        self.prefix = prefix
        self.delimiter = delimiter
        self.maxResults = maxResults
        self.pageToken = pageToken
        self.versions = versions
    }
}

/// One page of a listing.
public struct ObjectPage: Sendable, Hashable {
    public var objects: [ObjectVersion]
    public var prefixes: [String]
    public var nextPageToken: String?
}

extension StorageService {
    /// Lists a bucket's objects in name order. Folds the bucket's object events: cost grows with
    /// the bucket's history, which is fine for the buckets a pipeline keeps; a projection would
    /// make it constant.
    public func listObjects(_ name: String, _ listing: ObjectListing) async throws(SluiceError) -> ObjectPage {
        let bucket = try BucketName(name)
        guard (1...5_000).contains(listing.maxResults) else {
            throw SluiceError(.invalidArgument, "maxResults must be between 1 and 5000")
        }
        var states: [String: ObjectState] = [:]
        var after: Int64 = 0
        let streamPrefix = ResourceStreams.objectPrefix(bucket, listing.prefix)
        while true {
            let page = try await log.query(EventQuery(streamPrefix: streamPrefix, after: after, limit: 1_000))
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
        return Self.page(versions, listing)
    }

    static func page(_ versions: [ObjectVersion], _ listing: ObjectListing) -> ObjectPage {
        var objects: [ObjectVersion] = []
        var prefixes: [String] = []
        var last: String?
        let token = listing.pageToken.flatMap { Base64.decode($0) }.map { String(decoding: $0, as: UTF8.self) }
        for version in versions {
            let name = version.name.rawValue
            let key: String
            var isPrefix = false
            if let delimiter = listing.delimiter, !delimiter.isEmpty,
                let range = name.dropFirst(listing.prefix.count).range(of: delimiter)
            {
                key = String(name[..<range.upperBound])
                isPrefix = true
            } else {
                let digits = String(version.generation)
                key = name + "\u{0}" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
            }
            if let token, key <= token { continue }
            if isPrefix, prefixes.last == key { continue }
            if objects.count + prefixes.count == listing.maxResults {
                return ObjectPage(
                    objects: objects, prefixes: prefixes, nextPageToken: last.map { Base64.encode(Array($0.utf8)) })
            }
            if isPrefix { prefixes.append(key) } else { objects.append(version) }
            last = key
        }
        return ObjectPage(objects: objects, prefixes: prefixes, nextPageToken: nil)
    }
}
