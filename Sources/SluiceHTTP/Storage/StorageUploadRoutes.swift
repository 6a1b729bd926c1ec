import Foundation
import Hummingbird
import NIOCore
import SluiceCore
public import SluiceResources

/// Cloud Storage JSON API v1 uploads: `uploadType=media`, `multipart` and `resumable` (with
/// the chunked 308 flow google-cloud-storage uses above 8 MiB).
public struct StorageUploadRoutes: Sendable {
    let storage: StorageService
    let sessions: ResumableUploads
    let maximumBodyBytes: Int

    /// `uploadsDirectory` holds resumable sessions' bytes; `maximumBodyBytes` bounds one request.
    public init(storage: StorageService, uploadsDirectory: String, maximumBodyBytes: Int = 256 << 20) {
        self.storage = storage
        sessions = ResumableUploads(directory: uploadsDirectory)
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// An upload's JSON metadata. `metadata` is read again byte-exactly (see ``exact(_:)``).
    struct ObjectMetadataBody: Decodable {
        var name: String?
        var contentType: String?
        var metadata: [String: String]?
        var crc32c: String?
        var md5Hash: String?

        /// The body in `bytes`; its custom metadata keeps keys that differ only in normalization.
        static func exact(_ bytes: [UInt8]) throws -> (body: ObjectMetadataBody, metadata: ExactStringMap) {
            let body = try JSONDecoder().decode(ObjectMetadataBody.self, from: Data(bytes))
            guard body.metadata != nil else { return (body, [:]) }
            return (body, try StorageHTTP.exactStringMap("metadata", of: bytes) ?? [:])
        }
    }

    func add(to routes: RoleRoutes) {
        routes(.invoker).post("/upload/storage/v1/b/:bucket/o") { request, context in
            let bucket = try StorageHTTP.bucket(context)
            switch request.uri.queryParameters.get("uploadType") {
            case "media": return try await media(request, bucket: bucket, principal: context.principal)
            case "multipart": return try await multipart(request, bucket: bucket, principal: context.principal)
            case "resumable": return try await startResumable(request, bucket: bucket, principal: context.principal)
            case let other:
                throw GoogleErrorResponse.invalidArgument(
                    "uploadType must be media, multipart or resumable, not \(other ?? "(missing)")")
            }
        }
        routes(.invoker).put("/upload/storage/v1/b/:bucket/o") { request, context in
            try await continueResumable(request, principal: context.principal)
        }
    }

    private func collect(_ request: Request) async throws -> [UInt8] {
        do {
            return Array(try await request.body.collect(upTo: maximumBodyBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw GoogleErrorResponse.bodyTooLarge(
                limit: maximumBodyBytes, hint: "Upload larger objects with a resumable upload.")
        } catch {
            throw GoogleErrorResponse(error)
        }
    }

    private func media(_ request: Request, bucket: String, principal: String) async throws -> Response {
        guard let name = try StorageHTTP.strictQueryParameter(request, "name") else {
            throw GoogleErrorResponse.invalidArgument("a media upload needs the object name in ?name=")
        }
        let bytes = try await collect(request)
        do {
            let object = try await storage.upload(
                bucket: bucket, object: name, bytes: bytes,
                contentType: request.headers[.contentType] ?? "application/octet-stream",
                expected: ClientChecksums(xGoogHash: request.headers[StorageHTTP.header("x-goog-hash")]),
                preconditions: try StorageHTTP.preconditions(request), metadata: EventMetadata(principal: principal))
            return StorageHTTP.json(ObjectResource(object, links: StorageHTTP.links(request)))
        } catch { throw StorageHTTP.error(error) }
    }

    private func multipart(_ request: Request, bucket: String, principal: String) async throws -> Response {
        guard let boundary = MultipartRelated.boundary(of: request.headers[.contentType] ?? "") else {
            throw GoogleErrorResponse.invalidArgument(
                "a multipart upload needs Content-Type multipart/related with a boundary")
        }
        guard let body = MultipartRelated(try await collect(request), boundary: boundary), body.parts.count == 2 else {
            throw GoogleErrorResponse.invalidArgument("the multipart body must hold a metadata part and a media part")
        }
        let metadata: ObjectMetadataBody
        let customMetadata: ExactStringMap
        do { (metadata, customMetadata) = try ObjectMetadataBody.exact(body.parts[0].body) } catch {
            throw GoogleErrorResponse.invalidArgument("the multipart metadata part is not object JSON")
        }
        guard let name = try metadata.name ?? StorageHTTP.strictQueryParameter(request, "name") else {
            throw GoogleErrorResponse.invalidArgument("the upload names no object")
        }
        let contentType =
            metadata.contentType ?? body.parts[1].headers["content-type"] ?? request.headers[
                StorageHTTP.header("x-upload-content-type")]
            ?? "application/octet-stream"
        do {
            let object = try await storage.upload(
                bucket: bucket, object: name, bytes: body.parts[1].body, contentType: contentType,
                customMetadata: customMetadata,
                expected: ClientChecksums(crc32c: metadata.crc32c, md5: metadata.md5Hash),
                preconditions: try StorageHTTP.preconditions(request), metadata: EventMetadata(principal: principal))
            return StorageHTTP.json(ObjectResource(object, links: StorageHTTP.links(request)))
        } catch { throw StorageHTTP.error(error) }
    }

    private func startResumable(_ request: Request, bucket: String, principal: String) async throws -> Response {
        let bytes = try await collect(request)
        var metadata = ObjectMetadataBody()
        var customMetadata = ExactStringMap()
        if !bytes.isEmpty {
            do { (metadata, customMetadata) = try ObjectMetadataBody.exact(bytes) } catch {
                throw GoogleErrorResponse.invalidArgument("the resumable upload's metadata is not object JSON")
            }
        }
        guard let name = try metadata.name ?? StorageHTTP.strictQueryParameter(request, "name") else {
            throw GoogleErrorResponse.invalidArgument("the upload names no object")
        }
        do {
            _ = try ObjectName.forNewObject(name)
            _ = try await storage.bucket(bucket)
            let contentType =
                metadata.contentType ?? request.headers[StorageHTTP.header("x-upload-content-type")]
                ?? "application/octet-stream"
            let id = try await sessions.start(
                bucket: bucket, object: name, contentType: contentType, customMetadata: customMetadata)
            let host = request.head.authority ?? "127.0.0.1"
            let location =
                "http://\(host)/upload/storage/v1/b/\(bucket)/o?uploadType=resumable&upload_id=\(id)"
            return Response(status: .ok, headers: [.location: location, .contentLength: "0"])
        } catch { throw StorageHTTP.error(error) }
    }

    /// One PUT of a session: `Content-Range: bytes A-B/TOTAL` (or `bytes */TOTAL` to ask how far it
    /// got). Answers 308 with `Range` until the last byte, then 200 with the object.
    ///
    /// As Cloud Storage does, a body whose length differs from its range, or an upload that ends up
    /// with a size other than the total it declares, is INVALID_ARGUMENT, never a stored object of
    /// the wrong size. A PUT without `Content-Range` is the whole object in one request.
    private func continueResumable(_ request: Request, principal: String) async throws -> Response {
        guard let id = request.uri.queryParameters.get("upload_id") else {
            throw GoogleErrorResponse.invalidArgument("a resumable upload PUT needs ?upload_id=")
        }
        let header = request.headers[.contentRange]
        let bytes = try await collect(request)
        let range = try header.map { try ContentRange($0) } ?? ContentRange(wholeObject: Int64(bytes.count))
        do {
            if let object = await sessions.finishedObject(id) {
                return StorageHTTP.json(ObjectResource(object, links: StorageHTTP.links(request)))
            }
            var received = try await sessions.session(id).received
            if let span = range.bytes {
                guard span.upperBound - span.lowerBound == Int64(bytes.count) - 1 else {
                    throw GoogleErrorResponse.invalidArgument(
                        "the request carries \(bytes.count) bytes, but its Content-Range \(header ?? "") names "
                            + "bytes \(span.lowerBound)-\(span.upperBound)")
                }
                received = try await sessions.append(id, at: span.lowerBound, bytes)
            } else if !bytes.isEmpty {
                throw GoogleErrorResponse.invalidArgument(
                    "a request carrying bytes needs a Content-Range naming them, not \(header ?? "")")
            }
            guard let total = range.total, received >= total else {
                return Self.incomplete(received)
            }
            guard received == total else {
                throw GoogleErrorResponse.invalidArgument(
                    "the upload holds \(received) bytes, not the \(total) its Content-Range declares")
            }
            let expected = ClientChecksums(xGoogHash: request.headers[StorageHTTP.header("x-goog-hash")])
            let object = try await finalize(id, expected: expected, principal: principal)
            return StorageHTTP.json(ObjectResource(object, links: StorageHTTP.links(request)))
        } catch let error as SluiceError where error.code == .notFound {
            // The session may have finished while this request was on its way: answer as a retry.
            guard let object = await sessions.finishedObject(id) else { throw StorageHTTP.error(error) }
            return StorageHTTP.json(ObjectResource(object, links: StorageHTTP.links(request)))
        } catch { throw StorageHTTP.error(error) }
    }

    /// Records a complete session's object once: concurrent final requests share one outcome.
    private func finalize(_ id: String, expected: ClientChecksums, principal: String) async throws(SluiceError)
        -> ObjectVersion
    {
        let session: ResumableUploads.Session
        switch try await sessions.complete(id) {
        case .finished(let object): return object
        case .finalize(let claimed): session = claimed
        }
        let outcome: Result<ObjectVersion, SluiceError>
        do throws(SluiceError) {
            outcome = .success(
                try await storage.upload(
                    bucket: session.bucket, object: session.object, chunks: ResumableUploads.chunks(of: session.path),
                    contentType: session.contentType, customMetadata: session.customMetadata,
                    expected: expected, idempotencyKey: ResumableUploads.idempotencyKey(id),
                    metadata: EventMetadata(principal: principal)))
        } catch {
            outcome = .failure(error)
        }
        await sessions.finalized(id, outcome)
        return try outcome.get()
    }

    static func incomplete(_ received: Int64) -> Response {
        var headers: HTTPFields = [.contentLength: "0"]
        if received > 0 { headers[.range] = "bytes=0-\(received - 1)" }
        return Response(status: .init(code: 308, reasonPhrase: "Resume Incomplete"), headers: headers)
    }
}

/// `Content-Range: bytes A-B/TOTAL`, `bytes A-B/*`, `bytes */TOTAL` or `bytes */*`.
struct ContentRange {
    /// The first and the last byte the request carries; nil for `*`, which asks how far it got.
    var bytes: ClosedRange<Int64>?
    /// The object's size, once the client knows it.
    var total: Int64?

    init(_ header: String) throws {
        let malformed = GoogleErrorResponse.invalidArgument("malformed Content-Range \(header)")
        guard header.hasPrefix("bytes ") else {
            throw GoogleErrorResponse.invalidArgument("Content-Range must start with 'bytes '")
        }
        let parts = header.dropFirst("bytes ".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw malformed }
        if parts[1] != "*" {
            guard let total = Self.number(parts[1]) else { throw malformed }
            self.total = total
        }
        if parts[0] != "*" {
            let ends = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, let first = Self.number(ends[0]), let last = Self.number(ends[1]), first <= last
            else { throw malformed }
            if let total, last >= total {
                throw GoogleErrorResponse.invalidArgument(
                    "Content-Range \(header) ends past the \(total) bytes it declares")
            }
            bytes = first...last
        }
    }

    /// The range of a PUT without the header: all of the object, in this one request.
    init(wholeObject size: Int64) {
        bytes = size > 0 ? 0...(size - 1) : nil
        total = size
    }

    /// Decimal digits only: no sign, no spaces.
    private static func number(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }
}
