import Foundation
import NIOHTTP1

/// What the CLI's commands do with `--server`: the same operation through the server's HTTP API,
/// printed the way the local command prints it (JSON lines with `--json`).
enum RemoteCommands {
    /// `events query --server`: `GET /v1/sluice/events`.
    static func events(_ client: SluiceAPIClient, query: [(String, String)], json: Bool) async throws {
        let path = "/v1/sluice/events" + queryString(query)
        let page = try await client.json(.GET, path)
        let events = page["events"] as? [[String: Any]] ?? []
        if json {
            for event in events { StandardOutput.line(SluiceAPIClient.line(event)) }
        } else {
            let rows = events.map { event in
                [
                    "\(event["position"] ?? "")", event["time"] as? String ?? "", event["stream"] as? String ?? "",
                    event["type"] as? String ?? "",
                ]
            }
            StandardOutput.line(table(["POSITION", "TIME", "STREAM", "TYPE"], rows))
        }
        if let cursor = page["nextCursor"] as? String {
            StandardOutput.errorLine("more events match: continue with --after \(cursor)")
        }
    }

    /// `trace --server`: `GET /v1/sluice/trace`.
    static func trace(_ client: SluiceAPIClient, target: (String, String), json: Bool) async throws {
        let trace = try await client.json(.GET, "/v1/sluice/trace" + queryString([target]))
        let steps = trace["steps"] as? [[String: Any]] ?? []
        if json {
            for step in steps { StandardOutput.line(SluiceAPIClient.line(step)) }
            return
        }
        StandardOutput.line("journey \(trace["correlationId"] as? String ?? ""): \(steps.count) events")
        for step in steps {
            let offset = String(format: "%10.3f ms", (step["offsetMs"] as? NSNumber)?.doubleValue ?? 0)
            let type = (step["type"] as? String ?? "").padding(toLength: 26, withPad: " ", startingAt: 0)
            StandardOutput.line(
                "\(offset)  \(type)  \(step["stream"] as? String ?? "")  \(step["summary"] as? String ?? "")")
        }
    }

    /// The Executions API path of an execution, whatever its workflow (the server ignores it).
    static func executionPath(_ id: String) -> String {
        "/v1/projects/local/locations/local/workflows/-/executions/" + SluiceAPIClient.encoded(id)
    }

    static func queryString(_ pairs: [(String, String)]) -> String {
        pairs.isEmpty
            ? "" : "?" + pairs.map { "\($0.0)=\(SluiceAPIClient.encoded($0.1))" }.joined(separator: "&")
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
