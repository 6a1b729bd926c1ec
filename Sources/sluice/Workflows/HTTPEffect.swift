import Foundation
import OrderedCollections
import SluiceWorkflows

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `http.*` calls over URLSession: request encoding and the `{body, code, headers}` response.
enum HTTPEffect {
    /// Performs the call; `headers` go first, so a header the workflow sets itself wins.
    static func perform(
        function: String, arguments: OrderedDictionary<String, WorkflowValue>, headers extra: [(String, String)] = []
    ) async -> Result<WorkflowValue, WorkflowError> {
        let method: String
        switch function {
        case "http.request": method = (arguments["method"]?.stringValue ?? "GET").uppercased()
        default: method = String(function.dropFirst("http.".count)).uppercased()
        }
        guard let urlText = arguments["url"]?.stringValue, var components = URLComponents(string: urlText),
            components.scheme == "http" || components.scheme == "https"
        else {
            return .failure(.valueError("url must be an http or https URL"))
        }
        if case .map(let query)? = arguments["query"] {
            var items = components.queryItems ?? []
            for (key, value) in query {
                let values = value.listValue ?? [value]
                for item in values { items.append(URLQueryItem(name: key, value: text(of: item))) }
            }
            components.queryItems = items
        }
        guard let url = components.url else { return .failure(.valueError("invalid url \(urlText)")) }
        guard Self.methods.contains(method) else {
            return .failure(.valueError("method must be one of \(Self.methods.sorted().joined(separator: ", "))"))
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        switch timeout(arguments["timeout"]) {
        case .success(let seconds): request.timeoutInterval = seconds
        case .failure(let error): return .failure(error)
        }
        for (name, value) in extra { request.setValue(value, forHTTPHeaderField: name) }
        var contentType: String?
        if case .map(let headers)? = arguments["headers"] {
            for (key, value) in headers {
                guard Self.isHeaderName(key), Self.isHeaderValue(text(of: value)) else {
                    return .failure(.valueError("header \(key) is not a valid HTTP header name and value"))
                }
                request.setValue(text(of: value), forHTTPHeaderField: key)
                if key.lowercased() == "content-type" { contentType = text(of: value) }
            }
        }
        request.setValue("GoogleCloudWorkflows; sluice", forHTTPHeaderField: "User-Agent")
        if let body = arguments["body"], body != .null {
            do {
                request.httpBody = try encode(body, contentType: contentType, request: &request)
            } catch {
                return .failure(error)
            }
        }
        let outcome: (Data, URLResponse)
        do {
            outcome = try await URLSession.shared.data(for: request)
        } catch let error as URLError {
            switch error.code {
            case .timedOut: return .failure(.timeout("HTTP request timed out"))
            case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
                return .failure(
                    .connectionFailed("connection to \(url.host ?? "") failed: \(error.localizedDescription)"))
            default: return .failure(.connection("HTTP connection error: \(error.localizedDescription)"))
            }
        } catch {
            return .failure(.connection("HTTP connection error: \(error)"))
        }
        guard let response = outcome.1 as? HTTPURLResponse else {
            return .failure(.connection("not an HTTP response"))
        }
        var headers = OrderedDictionary<String, WorkflowValue>()
        for (key, value) in response.allHeaderFields {
            headers[String(describing: key).lowercased()] = .string(String(describing: value))
        }
        let body = decode(outcome.0, contentType: headers["content-type"]?.stringValue ?? "")
        let code = Int64(response.statusCode)
        guard (200..<300).contains(code) else {
            return .failure(.httpError(code: code, headers: .map(headers), body: body))
        }
        return .success(.object(["body": body, "code": .int(code), "headers": .map(headers)]))
    }

    private static func text(of value: WorkflowValue) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        default: (try? value.jsonString()) ?? ""
        }
    }

    private static func encode(_ body: WorkflowValue, contentType: String?, request: inout URLRequest)
        throws(WorkflowError) -> Data
    {
        let type = contentType?.lowercased() ?? ""
        if case .bytes(let bytes) = body {
            if contentType == nil { request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type") }
            return Data(bytes)
        }
        if type.hasPrefix("application/x-www-form-urlencoded"), case .map(let form) = body {
            var components = URLComponents()
            components.queryItems = form.map { URLQueryItem(name: $0.key, value: text(of: $0.value)) }
            return Data((components.percentEncodedQuery ?? "").utf8)
        }
        if !type.isEmpty, !type.contains("json"), case .string(let raw) = body {
            return Data(raw.utf8)
        }
        if contentType == nil {
            request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        }
        return Data(try body.jsonString().utf8)
    }

    private static func decode(_ data: Data, contentType: String) -> WorkflowValue {
        let type = contentType.lowercased()
        if type.contains("json") {
            if data.isEmpty { return .null }
            if let value = try? JSONReader.parse(bytes: Array(data)) { return value }
        }
        if type.hasPrefix("text/") || type.contains("json") || type.isEmpty {
            return .string(String(decoding: data, as: UTF8.self))
        }
        return .bytes(Array(data))
    }

    /// The methods an `http.request` may name.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// The longest timeout Workflows allows an HTTP call, in seconds.
    static let longestTimeoutSeconds: Double = 1_800

    /// A call's `timeout` in seconds: 300 when absent, at most 1,800 (a longer wait ends in a
    /// TimeoutError there too).
    static func timeout(_ value: WorkflowValue?) -> Result<Double, WorkflowError> {
        guard let value else { return .success(300) }
        guard let seconds = value.numberValue else {
            return .failure(.typeError("timeout must be a number of seconds, not \(value.typeName)"))
        }
        guard seconds > 0, seconds.isFinite else {
            return .failure(.valueError("timeout must be a positive number of seconds"))
        }
        return .success(min(seconds, longestTimeoutSeconds))
    }

    /// An RFC 9110 token: what a header name may hold.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
    }

    /// A header value without the bytes that would end or split the header.
    static func isHeaderValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }
}
