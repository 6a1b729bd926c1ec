import Foundation

/// What a pipeline process test checks after the fact, read through the CLI and the Storage API.
enum PipelineAudit {
    /// How many executions each object name started, from the `execution.started` events, read
    /// page by page (a query returns at most 10,000 events).
    static func executionsByObject(_ binary: SluiceBinary, _ database: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var after: Int64 = 0
        while true {
            let before = after
            let output = try await binary.run([
                "events", "query", "--type", "execution.started", "--limit", "10000", "--after", String(after),
                "--json", "--db", database,
            ])
            let lines = output.stdout.split(separator: "\n")
            for line in lines {
                guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    continue
                }
                if let position = (event["position"] as? NSNumber)?.int64Value { after = max(after, position) }
                guard let data = event["data"] as? [String: Any], let argument = data["argument"] as? [String: Any],
                    let message = argument["message"] as? [String: Any],
                    let attributes = message["attributes"] as? [String: Any],
                    let object = attributes["objectId"] as? String
                else { continue }
                counts[object, default: 0] += 1
            }
            if lines.count < 10_000 || after == before { return counts }
        }
    }

    /// Every object name in `bucket`, listed page by page over the Storage API.
    static func objectNames(_ server: ServeProcess, bucket: String) async throws -> Set<String> {
        var names: Set<String> = []
        var token: String?
        repeat {
            let page = try await server.request(
                "GET",
                "/storage/v1/b/\(bucket)/o?maxResults=1000"
                    + (token.map {
                        "&pageToken=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                    } ?? ""))
            for item in page["items"] as? [[String: Any]] ?? [] {
                if let name = item["name"] as? String { names.insert(name) }
            }
            token = page["nextPageToken"] as? String
        } while token != nil
        return names
    }
}
