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
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = arguments["timeout"]?.numberValue ?? 300
        for (name, value) in extra { request.setValue(value, forHTTPHeaderField: name) }
        var contentType: String?
        if case .map(let headers)? = arguments["headers"] {
            for (key, value) in headers {
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
}
