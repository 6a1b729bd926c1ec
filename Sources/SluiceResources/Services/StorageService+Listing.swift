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
    /// Only names at or after this one, by UTF-8 bytes.
    public var startOffset: String?
    /// Only names before this one (exclusive), by UTF-8 bytes.
    public var endOffset: String?

    public init(
        prefix: String = "", delimiter: String? = nil, maxResults: Int = 1_000, pageToken: String? = nil,
        versions: Bool = false, startOffset: String? = nil, endOffset: String? = nil
    ) {
        self.prefix = prefix
        self.delimiter = delimiter
        self.maxResults = maxResults
        self.pageToken = pageToken
        self.versions = versions
        self.startOffset = startOffset.flatMap { $0.isEmpty ? nil : $0 }
        self.endOffset = endOffset.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether `name` lies in `[startOffset, endOffset)`. Offsets bound the names themselves,
    /// before any roll-up: a prefix is listed when a name in the range rolls up into it.
    func holds(_ name: String) -> Bool {
        if let startOffset, name.bytePrecedes(startOffset) { return false }
        if let endOffset, !name.bytePrecedes(endOffset) { return false }
        return true
    }
}

/// One page of a listing.
public struct ObjectPage: Sendable, Hashable {
    public var objects: [ObjectVersion]
    public var prefixes: [String]
    public var nextPageToken: String?
}

extension StorageService {
    /// Lists a bucket's objects in name order. It reads the names under the prefix from the log's
    /// stream index (no events), then folds objects in name order only until the page is full:
    /// its cost follows the names under the prefix and the page, not the log's history. A bucket
    /// that does not exist is NOT_FOUND, as in Cloud Storage, not an empty listing.
    public func listObjects(_ name: String, _ listing: ObjectListing) async throws(SluiceError) -> ObjectPage {
        let bucket = try BucketName(name)
        _ = try await self.bucket(name)
        guard (1...5_000).contains(listing.maxResults) else {
            throw SluiceError(.invalidArgument, "maxResults must be between 1 and 5000")
        }
        let token = try Self.tokenKey(listing.pageToken)
        var versions: [ObjectVersion] = []
        var entries = 0
        var lastPrefix: String?
        for object in try await objectNames(bucket, prefix: listing.prefix) where listing.holds(object.rawValue) {
            let prefix = Self.rolledUpPrefix(object.rawValue, listing)
            if let prefix {
                // One object is enough to show a prefix; the page skips prefixes up to the token.
                if prefix == lastPrefix { continue }
                if let token, prefix <= token { continue }
            }
            let state = try await log.loadObject(bucket, object).state
            var found: [ObjectVersion] = listing.versions ? state.noncurrent.values.map { $0 } : []
            if let live = state.live { found.append(live) }
            found.sort { $0.generation < $1.generation }
            let fresh = found.filter { version in token.map { Self.entry(version, listing).key > $0 } ?? true }
            guard !fresh.isEmpty else { continue }
            versions += fresh
            if let prefix {
                lastPrefix = prefix
                entries += 1
            } else {
                entries += fresh.count
            }
            // One entry past the page tells `page` that another page follows.
            if entries > listing.maxResults { break }
        }
        return Self.page(versions, listing, after: token)
    }

    /// Every object name under `prefix` that has events, in the order listings use.
    private func objectNames(_ bucket: BucketName, prefix: String) async throws(SluiceError) -> [ObjectName] {
        let streamPrefix = ResourceStreams.objectPrefix(bucket, prefix)
        var names: [ObjectName] = []
        var from: String?
        while true {
            let page = try await log.streamNames(prefix: streamPrefix, from: from, limit: 1_000)
            names += page.compactMap { ResourceStreams.objectName(ofStream: $0, in: bucket) }
            guard page.count == 1_000, let last = page.last else { break }
            from = last.rawValue + "\u{0}"
        }
        // Stream names sort by their percent-encoded bytes; listings sort by object name.
        return names.sorted()
    }

    /// The key a listing entry sorts and pages by: a rolled-up prefix, or the name and generation.
    static func entry(_ version: ObjectVersion, _ listing: ObjectListing) -> (key: String, isPrefix: Bool) {
        let name = version.name.rawValue
        if let prefix = rolledUpPrefix(name, listing) { return (prefix, true) }
        let digits = String(version.generation)
        return (name + "\u{0}" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits, false)
    }

    /// The prefix `name` rolls up into under the listing's delimiter, if any.
    static func rolledUpPrefix(_ name: String, _ listing: ObjectListing) -> String? {
        guard let delimiter = listing.delimiter, !delimiter.isEmpty,
            let range = name.dropFirst(listing.prefix.count).range(of: delimiter)
        else { return nil }
        return String(name[..<range.upperBound])
    }

    /// The last key of the previous page, from its opaque token. A token no listing made is
    /// refused: read as "no token" it would restart the listing, and a client would loop forever.
    static func tokenKey(_ pageToken: String?) throws(SluiceError) -> String? {
        guard let pageToken, !pageToken.isEmpty else { return nil }
        guard let bytes = Base64.decode(pageToken), let key = String(validating: bytes, as: UTF8.self) else {
            throw SluiceError(.invalidArgument, "pageToken \(pageToken) is not a token a listing returned")
        }
        return key
    }

    static func page(_ versions: [ObjectVersion], _ listing: ObjectListing, after token: String?) -> ObjectPage {
        var objects: [ObjectVersion] = []
        var prefixes: [String] = []
        var last: String?
        for version in versions {
            let (key, isPrefix) = entry(version, listing)
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
