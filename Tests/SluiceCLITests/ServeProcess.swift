import Foundation
import SluiceTesting

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A running `sluice serve` on a free loopback port, and the port it printed.
final class ServeProcess {
    let process: SpawnedChild
    let port: Int
    private let output: PipeCollector
    private let errors: PipeCollector

    /// `serve --db DATABASE --port 0`, plus `arguments`; no stack unless `arguments` names one,
    /// so a test starts from an empty log.
    convenience init(binary: SluiceBinary, database: String, arguments: [String] = []) async throws {
        let stack = arguments.contains("--stack") ? [] : ["--stack", "none"]
        try await self.init(binary: binary, serveArguments: ["--db", database, "--port", "0"] + stack + arguments)
    }

    /// `serve` with exactly these arguments, these extra environment variables and without the
    /// inherited variables named in `unsetting`.
    init(
        binary: SluiceBinary, serveArguments: [String], environment: [String: String] = [:],
        unsetting: Set<String> = []
    ) async throws {
        let pipe = Pipe()
        let errorPipe = Pipe()
        let process = try SpawnedChild(
            executable: binary.url, arguments: ["serve"] + serveArguments,
            environment: ProcessInfo.processInfo.environment.filter { !unsetting.contains($0.key) }
                .merging(environment) { $1 },
            standardOutput: .pipe(pipe), standardError: .pipe(errorPipe))
        self.process = process
        errors = PipeCollector(errorPipe.fileHandleForReading)
        let handle = pipe.fileHandleForReading
        let line = await OffPool.run { () -> Data in
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                guard !chunk.isEmpty else { break }
                line.append(chunk)
            }
            return line
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
            let port = Int(text[range].split(separator: ":").last ?? "")
        else {
            await process.exited()
            throw ServerDidNotStart(output: text + (await errors.text()))
        }
        self.port = port
        output = PipeCollector(handle)
    }

    /// Sends `signal` and waits for the process to end; returns what it printed on standard output.
    func stop(signal: Int32) async -> String {
        kill(process.processIdentifier, signal)
        await process.exited()
        return await output.text()
    }

    /// Sends `signal` and returns at once, for clean-up in `defer`; a thread of its own reaps the child.
    func terminate(signal: Int32) {
        kill(process.processIdentifier, signal)
        let process = self.process
        Thread.detachNewThread { process.waitUntilExit() }
    }

    /// Waits up to `seconds` for the process to end by itself; whether it did.
    func waitForExit(seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return !process.isRunning
    }

    /// Everything printed on standard output, once the process has ended.
    func printed() async -> String { await output.text() }

    func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> [String:
        Any]
    {
        try await call(method, path, body: body, token: token).json
    }

    /// The status and the decoded JSON body of one request.
    func call(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> (
        status: Int, json: [String: Any]
    ) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    /// The status, headers and body of one request with `headers`.
    func exchange(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) async throws
        -> (status: Int, headers: [AnyHashable: Any], body: Data)
    {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.allHeaderFields ?? [:], data)
    }

    /// The body of a GET, as text.
    func text(_ path: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return String(decoding: data, as: UTF8.self)
    }

    /// Deploys `source` as workflow `id` through the Workflows API (with `fields` such as
    /// `serviceAccount`), starts an execution of it and returns the execution's name.
    func startWorkflow(_ id: String, source: String, fields: [String: Any] = [:]) async throws -> String {
        let base = "/v1/projects/p/locations/l/workflows"
        let deploy = try JSONSerialization.data(withJSONObject: fields.merging(["sourceContents": source]) { $1 })
        _ = try await request("POST", base + "?workflowId=\(id)", body: String(decoding: deploy, as: UTF8.self))
        let execution = try await request("POST", base + "/\(id)/executions", body: "{}")
        guard let name = execution["name"] as? String else { throw ServerDidNotStart(output: "\(execution)") }
        return name
    }

    func waitForState(_ name: String, _ state: String) async throws -> [String: Any] {
        for _ in 0..<300 {
            let execution = try await request("GET", "/v1/" + name)
            if execution["state"] as? String == state { return execution }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await request("GET", "/v1/" + name)
    }

    /// A database path in a new temporary directory.
    static func temporaryDatabase() throws -> String {
        let directory = ScratchSpace.url("sluice-serve-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("sluice.db").path
    }

    struct ServerDidNotStart: Error {
        var output: String
    }
}
