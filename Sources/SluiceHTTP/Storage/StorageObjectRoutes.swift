import Foundation
import Hummingbird
import NIOCore
import SluiceCore
public import SluiceResources

/// Cloud Storage JSON API v1: object metadata, downloads (whole or a byte range), listing,
/// metadata patches and deletes.
public struct StorageObjectRoutes: Sendable {
    let storage: StorageService

    public init(storage: StorageService) {
        self.storage = storage
    }

    func add(to routes: RoleRoutes) {
        routes(.viewer).get("/storage/v1/b/:bucket/o") { request, context in
            let query = request.uri.queryParameters
            if query.get("matchGlob") != nil {
                // Ignoring it would list (and perhaps delete) every object instead of the matching ones.
                throw GoogleErrorResponse.invalidArgument("matchGlob is not supported by this emulator")
            }
            let listing = ObjectListing(
                prefix: query.get("prefix") ?? "", delimiter: query.get("delimiter"),
                maxResults: try StorageHTTP.int64(request, "maxResults").map { Int($0) } ?? 1_000,
                pageToken: query.get("pageToken"), versions: query.get("versions") == "true",
                startOffset: query.get("startOffset"), endOffset: query.get("endOffset"))
            do {
                let page = try await storage.listObjects(try StorageHTTP.bucket(context), listing)
                let links = StorageHTTP.links(request)
                return try StorageHTTP.json(
                    ResourceList(
                        kind: "storage#objects", items: page.objects.map { ObjectResource($0, links: links) },
                        prefixes: page.prefixes.isEmpty ? nil : page.prefixes, nextPageToken: page.nextPageToken))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.viewer).get("/storage/v1/b/:bucket/o/**") { request, context in
            try await get(request, context)
        }
        routes(.viewer).get("/download/storage/v1/b/:bucket/o/**") { request, context in
            try await download(request, context)
        }
        routes(.invoker).patch("/storage/v1/b/:bucket/o/**") { request, context in
            let bytes = try await StorageHTTP.bodyBytes(request)
            let body = try StorageHTTP.decode(ObjectPatch.self, bytes)
            var metadata: [ExactString: String?] = [:]
            for (key, value) in try StorageHTTP.exactMap("metadata", of: bytes) ?? [] {
                metadata[ExactString(key)] = value
            }
            do {
                let object = try await storage.updateMetadata(
                    bucket: try StorageHTTP.bucket(context), object: try StorageHTTP.objectName(context),
                    ObjectMetadataPatch(contentType: body.contentType, metadata: metadata),
                    generation: try StorageHTTP.int64(request, "generation"),
                    preconditions: try StorageHTTP.preconditions(request),
                    metadata: EventMetadata(principal: context.principal))
                return StorageHTTP.json(ObjectResource(object, links: StorageHTTP.links(request)))
            } catch { throw StorageHTTP.error(error) }
        }
        routes(.invoker).delete("/storage/v1/b/:bucket/o/**") { request, context in
            do {
                try await storage.deleteObject(
                    bucket: try StorageHTTP.bucket(context), object: try StorageHTTP.objectName(context),
                    generation: try StorageHTTP.int64(request, "generation"),
                    preconditions: try StorageHTTP.preconditions(request),
                    metadata: EventMetadata(principal: context.principal))
                return StorageHTTP.empty()
            } catch { throw StorageHTTP.error(error) }
        }
    }

    /// A patch body: only the fields that change; a `null` metadata value deletes the key. The
    /// metadata is read again byte-exactly (``StorageHTTP/exactMap(_:of:)``); decoding it here
    /// checks its shape.
    struct ObjectPatch: Decodable {
        var contentType: String?
        var metadata: [String: String?]?
    }

    private func get(_ request: Request, _ context: SluiceRequestContext) async throws -> Response {
        if request.uri.queryParameters.get("alt") == "media" { return try await download(request, context) }
        do {
            guard let object = try await readable(request, context) else { return StorageHTTP.empty(.notModified) }
            return StorageHTTP.json(ObjectResource(object, links: StorageHTTP.links(request)))
        } catch { throw StorageHTTP.error(error) }
    }

    /// The object generation a read serves, once the request's preconditions hold for it; nil
    /// when a `NotMatch` form says the client's copy is current (304).
    private func readable(_ request: Request, _ context: SluiceRequestContext) async throws -> ObjectVersion? {
        let name = try StorageHTTP.objectName(context)
        let object = try await storage.object(
            bucket: try StorageHTTP.bucket(context), object: name,
            generation: try StorageHTTP.int64(request, "generation"))
        switch try StorageHTTP.preconditions(request).read(object, object: name) {
        case .serve: return object
        case .notModified: return nil
        }
    }

    /// The bytes, with the checksum headers the clients verify; `Range: bytes=a-b` gets a 206.
    private func download(_ request: Request, _ context: SluiceRequestContext) async throws -> Response {
        do {
            guard let object = try await readable(request, context) else { return StorageHTTP.empty(.notModified) }
            var headers: HTTPFields = [
                .contentType: object.contentType,
                StorageHTTP.header("x-goog-generation"): String(object.generation),
                StorageHTTP.header("x-goog-metageneration"): String(object.metageneration),
                StorageHTTP.header("x-goog-stored-content-length"): String(object.size),
                StorageHTTP.header("x-goog-stored-content-encoding"): "identity",
                .acceptRanges: "bytes",
            ]
            if let range = try Self.byteRange(request.headers[.range], size: object.size) {
                let bytes = try await storage.content(of: object, range: range)
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(object.size)"
                return Response(
                    status: .partialContent, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            }
            headers[StorageHTTP.header("x-goog-hash")] = "crc32c=\(object.crc32c),md5=\(object.md5Hash)"
            let bytes = try await storage.content(of: object)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        } catch let error as GoogleErrorResponse {
            throw error
        } catch { throw StorageHTTP.error(error) }
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n`; `nil` without a header or with one that is not a
    /// single range of decimal digits (ignored, as RFC 9110 says); 416 when unsatisfiable, which a
    /// suffix of an empty object always is.
    static func byteRange(_ header: String?, size: Int64) throws -> Range<Int64>? {
        guard let header, header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !spec.contains(","), parts[0].isEmpty || digits(parts[0]) != nil,
            parts[1].isEmpty || digits(parts[1]) != nil, !(parts[0].isEmpty && parts[1].isEmpty)
        else { return nil }
        let unsatisfiable = GoogleErrorResponse(
            status: .rangeNotSatisfiable, googleStatus: "OUT_OF_RANGE",
            message: "the requested range \(spec) is outside the object's \(size) bytes")
        guard let first = digits(parts[0]) else {
            guard let suffix = digits(parts[1]), suffix > 0, size > 0 else { throw unsatisfiable }
            return max(0, size - suffix)..<size
        }
        guard first < size else { throw unsatisfiable }
        let last = digits(parts[1]).map { min(size - 1, $0) } ?? size - 1
        guard last >= first else { throw unsatisfiable }
        return first..<(last + 1)
    }

    /// Decimal digits only, as a range's bounds must be: no sign, no spaces.
    private static func digits(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }
}
